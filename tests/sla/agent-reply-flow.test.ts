// The clock rules through the whole mail pipeline, outbound filters included: agents answer by
// email through the Reply-To token of their notification (no SMTP needed: the outbox is read).
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { listEvents } from '../../src/store/events.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { countOf, rowsOf, toMillis } from '../helpers/db-rows.ts';
import { buildMail } from '../helpers/mail.ts';
import { testApp } from '../helpers/test-app.ts';
import { HOUR, ingest, receive, running, ticket } from './sla-helpers.ts';

const ANN = { name: 'Ann Agent', email: 'ann@desk.example' };

/** Ann's answer to her latest notification about the ticket, sent to its Reply-To token address. */
async function annReplies(app: App, text: string) {
  const row = (await listOutbox(app.db)).filter((r) => r.recipient === ANN.email && r.kind.startsWith('agent-')).at(-1)!;
  const { replyTo, subject } = row.mail as { replyTo: string; subject: string };
  const raw = buildMail({ from: ANN.email, to: replyTo, subject: `Re: ${subject}`, inReplyTo: row.messageId, references: [row.messageId], text });
  return ingest(app, raw);
}

function repliesToCustomer(app: App): Promise<number> {
  return countOf(app, "SELECT count(*) AS n FROM outbox WHERE kind = 'agent-reply'");
}

async function stoppedAt(app: App, target: string): Promise<(string | null)[]> {
  const rows = await rowsOf<{ stopped_at: unknown }>(app, 'SELECT stopped_at FROM sla_clocks WHERE target = ? ORDER BY id', target);
  return rows.map((r) => (r.stopped_at === null ? null : new Date(toMillis(r.stopped_at)!).toISOString()));
}

describe('SLA clock with agents answering by email', () => {
  it('runs through acknowledgement, note and command-only mail; stops at the relayed reply; pauses and starts the next target', async () => {
    const app = await testApp({ address: 'support@desk.example', agents: [ANN] });
    const t0 = app.now().getTime();
    const at = (h: number) => new Date(t0 + h * HOUR).toISOString();
    const t = await receive(app, { to: 'support@desk.example', subject: 'Filter broken', text: 'The red light is on.' });
    expect(await countOf(app, "SELECT count(*) AS n FROM outbox WHERE kind = 'acknowledgement'")).toBe(1);

    app.clock.advance(HOUR);
    expect(await annReplies(app, '#note\nKnown firmware bug.')).toMatchObject({ status: 'appended' });
    app.clock.advance(HOUR);
    expect(await annReplies(app, '#priority high')).toMatchObject({ status: 'appended' });
    // Neither reached the customer; the command did change the ticket.
    expect(await repliesToCustomer(app)).toBe(0);
    expect((await ticket(app, t.number)).priority).toBe('high');
    expect(await running(app, t)).toEqual([{ target: 'first-response', dueAt: at(24), paused: false }]);

    app.clock.advance(HOUR); // 3 h: the first human answer, and the ticket waits for the customer
    expect(await annReplies(app, '#pending\nCould you send a photo of the display?')).toMatchObject({ status: 'appended' });
    expect(await repliesToCustomer(app)).toBe(1);
    expect(await ticket(app, t.number)).toMatchObject({ status: 'pending', firstResponseAt: new Date(at(3)) });
    expect(await stoppedAt(app, 'first-response')).toEqual([at(3)]);
    expect(await running(app, t)).toEqual([]);

    app.clock.advance(2 * HOUR); // 5 h: the customer answers: the next-response target runs
    await receive(app, { to: 'support@desk.example', subject: `Re: [#${t.number}] Filter broken`, text: 'Photo attached.' });
    expect(await running(app, t)).toEqual([{ target: 'next-response', dueAt: at(29), paused: false }]);

    app.clock.advance(HOUR);
    await annReplies(app, 'Thanks, a replacement is on its way.');
    expect(await stoppedAt(app, 'next-response')).toEqual([at(6)]);
    expect((await ticket(app, t.number)).dueAt).toBeNull();
    await app.close();
  });

  it('re-targets the running clock when an agent changes the priority, keeping time spent paused', async () => {
    const app = await testApp({ address: 'support@desk.example', agents: [ANN] });
    const t0 = app.now().getTime();
    const at = (h: number) => new Date(t0 + h * HOUR).toISOString();
    const t = await receive(app, { to: 'support@desk.example', subject: 'Login fails' });
    app.clock.advance(HOUR);
    await annReplies(app, '#pending');
    app.clock.advance(2 * HOUR); // paused for 2 h, then the customer answers: due 24 h + 2 h
    await receive(app, { to: 'support@desk.example', subject: `Re: [#${t.number}] Login fails`, text: 'Still broken.' });
    expect(await running(app, t)).toEqual([{ target: 'first-response', dueAt: at(26), paused: false }]);

    app.clock.advance(HOUR);
    await annReplies(app, '#priority urgent');
    // The urgent policy: 4 h, plus the 2 h the clock stood still.
    expect(await running(app, t)).toEqual([{ target: 'first-response', dueAt: at(6), paused: false }]);
    expect((await ticket(app, t.number)).dueAt).toEqual(new Date(at(6)));
    expect(await listEvents(app.db, t.id, 'sla-retargeted')).toMatchObject([{ data: { target: 'first-response', priority: 'urgent', from: at(26), to: at(6) } }]);
    await app.close();
  });
});
