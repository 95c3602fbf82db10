// `postdesk follow-ups` and `postdesk follow-ups send` as a user (or cron) runs them, with --now as
// the clock: the resolved complaint's follow-up is listed, queued once, and sent by the outbox.
import { describe, expect, it } from 'vitest';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { postdesk } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskWith, flush, receive, replyToCaptured, withDesk } from '../outbound/desk.ts';
import { testClock } from '../helpers/test-app.ts';
import { reopen } from '../sla/sla-helpers.ts';

const DAY = 24 * 3_600_000;
const CUSTOMER = 'carol@customer.example';

describe('postdesk follow-ups', () => {
  it('lists the planned follow-up, sends it once when due, and the outbox delivers it', async () => {
    const smtp = await SmtpCapture.start();
    const clock = testClock();
    const desk = await deskWith(smtp, {}, { clock });
    const { dataDir, configPath } = desk.config;
    await withDesk(desk, async () => {
      await receive(desk, buildMail({ from: `Carol <${CUSTOMER}>`, subject: 'Broken again', text: 'I want to complain: the filter broke again.' }));
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: '#close\nA new one is on its way.' }));
      await flush(desk);
    });
    const resolvedAt = clock.now().getTime();
    const at = (ms: number) => new Date(resolvedAt + ms).toISOString();
    const global = ['--data', dataDir, '--config', configPath!];

    const list = postdesk(['follow-ups', '--json', ...global, '--now', at(DAY)]);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual([
      { number: 1000, type: 'complaint', subject: 'Broken again', customer: CUSTOMER, resolvedAt: at(0), followUpAt: at(7 * DAY), state: 'planned' },
    ]);
    const text = postdesk(['follow-ups', ...global, '--now', at(DAY)]);
    expect(text.stdout).toMatch(/^#1000\s+complaint\s+planned\s+2026-11-09 09:00 UTC\s+carol@customer\.example\s+Broken again\n$/);

    expect(JSON.parse(postdesk(['tickets', 'show', '1000', '--json', ...global]).stdout)).toMatchObject({ type: 'complaint', priority: 'normal' });
    expect(postdesk(['tickets', 'show', '1000', ...global]).stdout).toMatch(/^resolved, normal, complaint, customer Carol <carol@customer\.example>$/m);

    const early = postdesk(['follow-ups', 'send', '--json', ...global, '--now', at(6 * DAY)]);
    expect(early.stderr).toBe('');
    expect(JSON.parse(early.stdout)).toEqual({ followUps: 0, reminders: 0, cancelled: 0 });
    const due = postdesk(['follow-ups', 'send', ...global, '--now', at(7 * DAY + 60_000)]);
    expect(due.stderr).toBe('');
    expect(due.stdout).toBe('1 follow-up(s) queued, 0 reminder(s) to agents, 0 cancelled\n');
    const again = postdesk(['follow-ups', 'send', '--json', ...global, '--now', at(7 * DAY + 120_000)]);
    expect(JSON.parse(again.stdout)).toEqual({ followUps: 0, reminders: 0, cancelled: 0 });
    expect(JSON.parse(postdesk(['follow-ups', '--json', ...global, '--now', at(8 * DAY)]).stdout)).toEqual([]);

    // The running service's sender (here: the same data directory opened again) delivers it.
    clock.set(at(7 * DAY + 180_000));
    const before = smtp.to(CUSTOMER).length;
    const restarted = await reopen(desk, clock);
    try {
      expect((await findTicketByNumber(restarted.db, 1000))!.followUpSentAt).toEqual(new Date(at(7 * DAY + 60_000)));
      expect(await flush(restarted)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    } finally {
      await restarted.close();
    }
    expect(smtp.to(CUSTOMER).length).toBe(before + 1);
    expect(smtp.to(CUSTOMER).at(-1)!.parsed.subject).toBe('[#1000] Is everything still working? Broken again');
    await smtp.down();
  });
});
