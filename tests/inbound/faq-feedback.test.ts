// "Did this answer your question?" mails from the help center, through the real `postdesk ingest`:
// recorded on the FAQ entry without a ticket or an acknowledgement, one counted per entry, sender and
// day, and a "No" with words of the customer's own opens an acknowledged ticket linked to the entry.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { feedbackSubject, NO_PROMPT } from '../../src/faq/feedback-mail.ts';
import { listEvents } from '../../src/store/events.ts';
import { listFaqFeedback } from '../../src/store/faq-feedback.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { listTickets } from '../../src/store/tickets.ts';
import { sha256 } from '../../src/store/pack-store.ts';
import { jsonLines, postdesk } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { cliDataDir, testApp } from '../helpers/test-app.ts';

const CAROL = 'Carol Chen <carol@customer.example>';

type DataDir = Awaited<ReturnType<typeof cliDataDir>>;

function ingest(data: DataDir, raw: Buffer, now: string) {
  const run = postdesk(['ingest', '-', '--json', ...data.args, '--now', now], { input: raw });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return jsonLines(run.stdout)[0];
}

/** The database as the CLI left it. */
async function inspect<T>(data: DataDir, read: (app: App) => Promise<T>): Promise<T> {
  const app = await testApp({}, { dataDir: data.dataDir });
  try {
    return await read(app);
  } finally {
    await app.close();
  }
}

describe('FAQ feedback by mail', () => {
  it('records Yes and a bare No on the entry: no ticket, no acknowledgement, the mail kept', async () => {
    const data = await cliDataDir();
    const yes = buildMail({ from: CAROL, subject: feedbackSubject('reset-password', true), text: '' });
    expect(ingest(data, yes, '2026-11-02T09:00:00Z')).toEqual({ source: 'stdin', status: 'feedback', ticket: null, reason: 'faq reset-password: yes' });
    // The No link's body as it comes back when the customer adds nothing (here rewrapped by the mail client).
    const bareNo = buildMail({ from: 'li@customer.example', subject: feedbackSubject('track-order', false), text: NO_PROMPT.en.replace('below and', 'below\r\nand') });
    expect(ingest(data, bareNo, '2026-11-02T09:05:00Z')).toMatchObject({ status: 'feedback', ticket: null, reason: 'faq track-order: no' });

    const { tickets, outbox, feedback } = await inspect(data, async (app) => ({ tickets: await listTickets(app.db), outbox: await listOutbox(app.db), feedback: await listFaqFeedback(app.db) }));
    expect(tickets).toEqual([]);
    expect(outbox).toEqual([]);
    expect(feedback.map((f) => ({ slug: f.slug, helpful: f.helpful, sender: f.sender, comment: f.comment, counted: f.counted, ticketId: f.ticketId }))).toEqual([
      { slug: 'reset-password', helpful: true, sender: 'carol@customer.example', comment: '', counted: true, ticketId: null },
      { slug: 'track-order', helpful: false, sender: 'li@customer.example', comment: '', counted: true, ticketId: null },
    ]);
    // Nothing lost: the feedback mail is findable by its sha256 like any kept mail.
    const shown = postdesk(['raw', sha256(yes), ...data.args]);
    expect(shown.status).toBe(0);
    expect(Buffer.from(shown.stdout)).toEqual(yes);
  });

  it('counts one answer per entry and sender a day; the extra ones are kept, not counted', async () => {
    const data = await cliDataDir();
    const vote = (slug: string, helpful: boolean, now: string) =>
      ingest(data, buildMail({ from: CAROL, subject: feedbackSubject(slug, helpful), text: '' }), now);
    expect(vote('reset-password', true, '2026-11-02T09:00:00Z').reason).toBe('faq reset-password: yes');
    expect(vote('reset-password', true, '2026-11-02T09:00:30Z').reason).toBe('faq reset-password: yes, not counted (one per entry and sender a day)');
    expect(vote('reset-password', false, '2026-11-02T20:00:00Z').reason).toBe('faq reset-password: no, not counted (one per entry and sender a day)');
    expect(vote('track-order', true, '2026-11-02T20:00:00Z').reason).toBe('faq track-order: yes');
    expect(vote('reset-password', false, '2026-11-03T09:00:01Z').reason).toBe('faq reset-password: no');
    const rows = await inspect(data, (app) => listFaqFeedback(app.db));
    expect(rows.map((r) => [r.slug, r.helpful, r.counted])).toEqual([
      ['reset-password', true, true],
      ['reset-password', true, false],
      ['reset-password', false, false],
      ['track-order', true, true],
      ['reset-password', false, true],
    ]);
    // Each kept mail keeps its raw bytes, counted or not.
    expect(rows.every((r) => r.rawSha256 && r.rawPack)).toBe(true);
  });

  it.each([
    { locale: 'en' as const, comment: 'I never got the reset mail, not even in spam.' },
    { locale: 'zh' as const, comment: '我一直收不到重置邮件，垃圾邮件里也没有。' },
  ])('a No with a comment ($locale) opens an acknowledged ticket linked to the entry', async ({ locale, comment }) => {
    const data = await cliDataDir();
    const no = buildMail({ from: CAROL, subject: feedbackSubject('reset-password', false), text: `${NO_PROMPT[locale]}\n\n${comment}\n` });
    expect(ingest(data, no, '2026-11-02T09:00:00Z')).toEqual({ source: 'stdin', status: 'created', ticket: 1000 });
    const { ticket, feedback, events, outbox } = await inspect(data, async (app) => {
      const [ticket] = await listTickets(app.db);
      return { ticket, feedback: await listFaqFeedback(app.db), events: (await listEvents(app.db, ticket.id)).map((e) => [e.type, e.data]), outbox: await listOutbox(app.db, { ticketId: ticket.id }) };
    });
    expect(feedback).toMatchObject([{ slug: 'reset-password', helpful: false, comment, counted: true, ticketId: ticket.id }]);
    expect(events).toContainEqual(['faq-feedback', { slug: 'reset-password', helpful: false, feedback: feedback[0].id }]);
    expect(outbox.map((o) => [o.kind, o.recipient])).toContainEqual(['acknowledgement', 'carol@customer.example']);
  });

  it('says so in the text output of ingest, one line per mail', async () => {
    const data = await cliDataDir();
    const yes = buildMail({ from: CAROL, subject: feedbackSubject('reset-password', true), text: '' });
    const run = postdesk(['ingest', '-', ...data.args, '--now', '2026-11-02T09:00:00Z'], { input: yes });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('feedback: stdin (faq reset-password: yes)\n');
  });

  it('a subject that only looks like feedback is an ordinary ticket', async () => {
    const data = await cliDataDir();
    const mail = buildMail({ from: CAROL, subject: 'Re: [faq:reset-password] yes, but what about my order?' });
    expect(ingest(data, mail, '2026-11-02T09:00:00Z')).toMatchObject({ status: 'created', ticket: 1000 });
  });
});
