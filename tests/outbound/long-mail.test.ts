// Agents see the whole mail: a customer who pastes a 3,000-line log reaches the agent with every line,
// in the stored ticket and in the notification (its beginning in the body, all of it attached, and a
// note that says so); a notification's list of the customer's tickets says what it leaves out.
import { describe, expect, it } from 'vitest';
import { EXCERPT_BYTES, EXCERPT_LINES, excerpt } from '../../src/outbound/excerpt.ts';
import { listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { ticketDetail } from '../../src/views/ticket-view.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskForSuite, deskWith, flush, receive, replyToCaptured } from './desk.ts';

const CUSTOMER = 'dave@customer.example';
const log = (run: string) => Array.from({ length: 3000 }, (_v, i) => `${run} line ${i + 1}: step ${i + 1} of the nightly sync finished`);
const attachmentOf = (mail: CapturedMail) => {
  expect(mail.parsed.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^ticket-\d+-message\.txt$/)]);
  return mail.parsed.attachments[0].content.toString('utf8');
};
/** Asserts that `text` holds every line of `lines` in order; one line of message when it does not. */
const expectAllLines = (text: string, lines: string[]) => {
  const got = text.split('\n');
  const start = got.indexOf(lines[0]);
  const missing = lines.find((line, i) => got[start + i] !== line);
  expect(missing, `line missing from a text of ${got.length} lines`).toBeUndefined();
};

describe('a customer mail of 3,000 lines', () => {
  const suite = deskForSuite();

  it('opens a ticket that stores and shows every line, and the agent gets its beginning and all of it attached', async () => {
    const lines = log('first run');
    const result = await receive(suite.desk, buildMail({ from: `Dave <${CUSTOMER}>`, subject: 'Sync fails', text: `The nightly sync fails, here is the log:\n\n${lines.join('\n')}` }));
    expect(result).toMatchObject({ status: 'created' });
    await flush(suite.desk);

    const ticket = (await findTicketByNumber(suite.desk.db, result.ticket!))!;
    const [stored] = await listMessages(suite.desk.db, ticket.id);
    expectAllLines(stored.visibleText, lines);
    expectAllLines((await ticketDetail(suite.desk, ticket)).messages[0].text, lines);

    const note = suite.smtp.to(AGENT.email).at(-1)!;
    expect(note.parsed.subject).toContain('New ticket: Sync fails');
    expect(note.parsed.text).toContain('first run line 1: ');
    expect(note.parsed.text).not.toContain('first run line 3000: ');
    expect(note.parsed.text).toMatch(/The message is longer than this mail shows: 3002 lines, \d+ KB\. The whole of it is attached as ticket-\d+-message\.txt\./);
    expect(note.parsed.html).toContain('The message is longer than this mail shows');
    expectAllLines(attachmentOf(note), lines);
  });

  it('answering on the ticket, keeps its text whole up to a quote that starts after line 1,000, and the agent gets all of it', async () => {
    const ack = suite.smtp.to(CUSTOMER).at(-1)!;
    const lines = log('second run');
    const result = await receive(suite.desk, replyToCaptured(ack, { from: `Dave <${CUSTOMER}>`, text: lines.join('\n') }));
    expect(result).toMatchObject({ status: 'appended' });
    await flush(suite.desk);

    const ticket = (await findTicketByNumber(suite.desk.db, result.ticket!))!;
    expectAllLines((await listMessages(suite.desk.db, ticket.id)).at(-1)!.visibleText, lines);
    const note = suite.smtp.to(AGENT.email).at(-1)!;
    expect(note.parsed.subject).toContain('Customer replied: Sync fails');
    expect(note.parsed.text).toContain('second run line 1: ');
    expectAllLines(attachmentOf(note), lines);
  });

  it('a short mail is shown whole in the notification, with no attachment and no note', async () => {
    await receive(suite.desk, buildMail({ from: `Dave <${CUSTOMER}>`, subject: 'Thanks', text: 'It works now.' }));
    await flush(suite.desk);
    const note = suite.smtp.to(AGENT.email).at(-1)!;
    expect(note.parsed.text).toContain('It works now.');
    expect(note.parsed.text).not.toContain('longer than this mail shows');
    expect(note.parsed.attachments).toEqual([]);
  });
});

describe("a notification's list of the customer's other tickets", () => {
  it('shows the latest ten and says how many earlier ones it leaves out', async () => {
    const smtp = await SmtpCapture.start();
    const desk = await deskWith(smtp);
    try {
      for (let i = 1; i <= 13; i++) await receive(desk, buildMail({ from: `Dave <${CUSTOMER}>`, subject: `Question ${i}`, text: `Question ${i}?` }));
      await flush(desk);
      const note = smtp.to(AGENT.email).at(-1)!;
      expect(note.parsed.subject).toContain('Question 13');
      expect(note.parsed.text).toContain('Question 12 (new');
      expect(note.parsed.text).toContain('Question 3 (new');
      expect(note.parsed.text).not.toContain('Question 2 (new');
      expect(note.parsed.text).toContain(`… and 2 earlier tickets: postdesk customers show ${CUSTOMER}`);
      expect(note.parsed.html).toContain(`… and 2 earlier tickets: postdesk customers show ${CUSTOMER}`);
    } finally {
      await desk.close();
      await smtp.down();
    }
  });
});

describe('excerpt (the body part of a long message)', () => {
  it('cuts one giant line within the byte limit, without splitting a character, and attaches the whole', () => {
    const line = 'a😀日志'.repeat(30_000);
    const cut = excerpt(line, 'ticket-1-message.txt');
    expect(Buffer.byteLength(cut.text)).toBeLessThanOrEqual(EXCERPT_BYTES);
    expect(line.startsWith(cut.text) && !/[\uD800-\uDBFF]$/.test(cut.text)).toBe(true);
    expect(cut.whole).toEqual({ lines: 1, size: `${Math.ceil(Buffer.byteLength(line) / 1024)} KB`, attachment: 'ticket-1-message.txt' });
    expect(cut.attachment?.content === line).toBe(true);
  });

  it('keeps a text within both limits as it is', () => {
    const text = Array.from({ length: EXCERPT_LINES }, (_v, i) => `line ${i}`).join('\n');
    expect(excerpt(`${text}\n`, 'x.txt')).toEqual({ text: `${text}\n` });
    expect(excerpt(`${text}\none more`, 'x.txt').whole?.lines).toBe(EXCERPT_LINES + 1);
  });
});
