// Outgoing headers stay within RFC 5322's 998 characters a line whatever the customer sent: a long
// subject is shortened with an ellipsis and folded by the encoder, a long name and Message-ID cannot
// stretch a line either. Every outgoing subject carries its own ticket's tag once; a tag of another
// ticket in it stays readable as text but is no tag.
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/store/events.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import type { CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskForSuite, flush, receive } from './desk.ts';

const MAX_LINE = 998;
const SHORTENED = 250;
const TAG = /\[#\d+\]/g;

const encodedWord = (text: string) => `=?utf-8?B?${Buffer.from(text).toString('base64')}?=`;

/** The raw lines of the captured mail, as they went over the wire, longer than the limit. */
function overlongLines(mail: CapturedMail): string[] {
  return mail.raw
    .toString('latin1')
    .split('\r\n')
    .filter((line) => line.length > MAX_LINE)
    .map((line) => `${line.length} characters: ${line.slice(0, 60)}…`);
}

describe('outgoing header lines', () => {
  const suite = deskForSuite();

  /** Receives the mail, sends what it caused, and returns the acknowledgement and the agent's notification. */
  async function acknowledged(customer: string, mail: Buffer): Promise<{ ack: CapturedMail; notification: CapturedMail }> {
    const before = suite.smtp.mails.length;
    expect(await receive(suite.desk, mail)).toMatchObject({ status: 'created' });
    await flush(suite.desk);
    const sent = suite.smtp.mails.slice(before);
    const ack = sent.find((m) => m.envelope.to.includes(customer));
    const notification = sent.find((m) => m.envelope.to.includes(AGENT.email));
    expect(ack && notification, `sent: ${sent.map((m) => m.envelope.to).join(', ')}`).toBeTruthy();
    return { ack: ack!, notification: notification! };
  }

  it('a 20,000-character subject, name and a 2,000-character Message-ID give no line over 998', async () => {
    const customer = 'long@customer.example';
    const subject = 'x'.repeat(20_000);
    const mail = buildMail({ from: `${'N'.repeat(20_000)} <${customer}>`, subject, messageId: `${'m'.repeat(2_000)}@customer.example` });
    const { ack, notification } = await acknowledged(customer, mail);
    for (const sent of [ack, notification]) {
      expect(overlongLines(sent)).toEqual([]);
      expect(sent.parsed.subject!.length).toBeLessThanOrEqual(SHORTENED);
      expect(sent.parsed.subject).toMatch(/^\[#\d+\] .*x…$/);
    }
    expect(ack.parsed.subject).toMatch(/^\[#\d+\] We received your message: x+…$/);
  });

  it('an address too long for a header gets no acknowledgement, and the notification stays within the limit', async () => {
    const customer = `${'a'.repeat(1_000)}@customer.example`;
    const before = suite.smtp.mails.length;
    const result = await receive(suite.desk, buildMail({ from: customer, subject: 'Long address' }));
    expect(result).toMatchObject({ status: 'created' });
    const ticket = (await findTicketByNumber(suite.desk.db, result.ticket!))!;
    expect((await listEvents(suite.desk.db, ticket.id, 'acknowledgement-suppressed')).map((e) => e.data)).toEqual([{ reasons: [expect.stringContaining('is not a plain addr-spec')] }]);
    await flush(suite.desk);
    const sent = suite.smtp.mails.slice(before);
    expect(sent.map((m) => m.envelope.to)).toEqual([[AGENT.email]]);
    expect(overlongLines(sent[0])).toEqual([]);
  });

  it('a long CJK subject is shortened with an ellipsis and folded into encoded words', async () => {
    const customer = 'wang@customer.example';
    const subject = '滤网指示灯一直亮着红色'.repeat(500);
    const { ack, notification } = await acknowledged(customer, buildMail({ from: customer, subject: encodedWord(subject) }));
    for (const sent of [ack, notification]) {
      expect(overlongLines(sent)).toEqual([]);
      const decoded = sent.parsed.subject!;
      expect(decoded.length).toBeLessThanOrEqual(SHORTENED);
      expect(decoded.endsWith('…')).toBe(true);
      // Cut between characters: what is left is the start of the customer's subject.
      expect(subject.startsWith(decoded.slice(decoded.indexOf(': ') + 2, -1))).toBe(true);
    }
  });

  it('a subject with words is shortened too: a sane length, not just a short line', async () => {
    const customer = 'words@customer.example';
    const { ack } = await acknowledged(customer, buildMail({ from: customer, subject: 'please help '.repeat(2_000).trim() }));
    expect(overlongLines(ack)).toEqual([]);
    expect(ack.parsed.subject!.length).toBeLessThanOrEqual(SHORTENED);
    expect(ack.parsed.subject).toMatch(/^\[#\d+\] We received your message: please help please .*…$/);
  });
});

describe('the subject tag of an outgoing mail', () => {
  const suite = deskForSuite();

  const tags = (mail: CapturedMail) => mail.parsed.subject!.match(TAG) ?? [];

  it("a stranger who wrote with another ticket's tag gets one tag, their own ticket's", async () => {
    await receive(suite.desk, buildMail({ from: 'alice@customer.example', subject: 'My order' }));
    const eve = await receive(suite.desk, buildMail({ from: 'eve@stranger.example', subject: '[#1000] My order' }));
    expect(eve).toMatchObject({ status: 'created', ticket: 1001 });
    await flush(suite.desk);
    const ack = suite.smtp.to('eve@stranger.example').at(-1)!;
    expect(tags(ack)).toEqual(['[#1001]']);
    // The other ticket's number stays readable.
    expect(ack.parsed.subject).toBe('[#1001] We received your message: #1000 My order');
    const notification = suite.smtp.to(AGENT.email).at(-1)!;
    expect(tags(notification)).toEqual(['[#1001]']);
  });

  it("a subject that carries the tag of its own ticket is not tagged again", async () => {
    // A sender who guessed the next number: the new ticket's subject already names it.
    const result = await receive(suite.desk, buildMail({ from: 'guess@customer.example', subject: 'Re: [#1002] Refund' }));
    expect(result).toMatchObject({ status: 'created', ticket: 1002 });
    await flush(suite.desk);
    const ack = suite.smtp.to('guess@customer.example').at(-1)!;
    expect(ack.parsed.subject).toBe('[#1002] We received your message: Re: Refund');
    expect(tags(suite.smtp.to(AGENT.email).at(-1)!)).toEqual(['[#1002]']);
  });
});
