// An agent reply is relayed only through the signed Reply-To token AND from that agent's address AND
// on the token's ticket. Every forgery is quarantined as a security event and reaches no customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { replyAddress } from '../../src/outbound/tokens.ts';
import { listEvents } from '../../src/store/events.ts';
import { listMessages } from '../../src/store/messages.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, SECOND_AGENT, deskWith, flush, receive, replyToCaptured, type Desk } from './desk.ts';

describe('forged agent replies are never relayed', () => {
  let smtp: SmtpCapture;
  let desk: Desk;
  let first: CapturedMail; // Ann's notification of ticket 1000
  let second: CapturedMail; // Ann's notification of ticket 1001
  const customerMails = () => smtp.mails.filter((m) => m.envelope.to.some((to) => to.endsWith('@customer.example'))).length;
  const agentReplies = async () => (await listOutbox(desk.db)).filter((r) => r.kind === 'agent-reply').length;

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    desk = await deskWith(smtp, { agents: [AGENT, SECOND_AGENT] });
    await receive(desk, buildMail({ from: 'hal@customer.example', subject: 'First problem' }));
    await receive(desk, buildMail({ from: 'ida@customer.example', subject: 'Second problem' }));
    await flush(desk);
    first = smtp.to(AGENT.email).find((m) => m.parsed.subject?.startsWith('[#1000]'))!;
    second = smtp.to(AGENT.email).find((m) => m.parsed.subject?.startsWith('[#1001]'))!;
  });
  afterAll(async () => {
    await desk.close();
    await smtp.down();
  });

  async function expectRefused(raw: Buffer, reason: RegExp) {
    const before = { customer: customerMails(), replies: await agentReplies() };
    const result = await receive(desk, raw);
    expect(result.status).toBe('quarantined');
    expect(result.reason).toMatch(/^security: /);
    expect(result.reason).toMatch(reason);
    await flush(desk);
    expect({ customer: customerMails(), replies: await agentReplies() }).toEqual(before);
  }

  it('the right From without a token', async () => {
    const raw = replyToCaptured(first, { from: AGENT.email, text: 'Answer without a token.' });
    const tokenless = Buffer.from(raw.toString('utf8').replace(/^To: .*$/m, 'To: support@desk.example'));
    await expectRefused(tokenless, /without a reply token/);
    const ticket = (await findTicketByNumber(desk.db, 1000))!;
    expect((await listEvents(desk.db, ticket.id, 'security')).at(-1)?.data).toMatchObject({ from: AGENT.email });
  });

  it.each([
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }],
    ['Precedence: bulk', { Precedence: 'bulk' }],
    ['X-Autoreply and Precedence: junk', { 'X-Autoreply': 'yes', Precedence: 'junk (vacation)' }],
  ])('the right From without a token, saying %s: a security event, never stored on the ticket its subject names', async (_name, headers) => {
    const ticket = (await findTicketByNumber(desk.db, 1000))!;
    const stored = (await listMessages(desk.db, ticket.id)).length;
    const events = (await listEvents(desk.db, ticket.id, 'security')).length;
    const forged = buildMail({ from: `Ann Lee <${AGENT.email}>`, to: 'support@desk.example', subject: '[#1000] Refund approved', text: 'Refund approved, send your card number.', headers });
    await expectRefused(forged, /without a reply token/);
    expect(await listMessages(desk.db, ticket.id)).toHaveLength(stored);
    expect(await listEvents(desk.db, ticket.id, 'security')).toHaveLength(events + 1);
  });

  it('a valid token with the wrong From (a customer, another agent)', async () => {
    await expectRefused(replyToCaptured(first, { from: 'mallory@customer.example', text: 'Refund approved!' }), /used by mallory@customer\.example/);
    await expectRefused(replyToCaptured(first, { from: SECOND_AGENT.email, text: 'I am Ann.' }), /used by bob@agents\.example/);
  });

  it("the token of another ticket (ticket 1000's token on a reply threaded to ticket 1001)", async () => {
    const raw = replyToCaptured(second, { from: AGENT.email, text: 'Crossed wires.' });
    const firstToken = first.parsed.replyTo!.value[0].address!;
    await expectRefused(Buffer.from(raw.toString('utf8').replace(/^To: .*$/m, `To: ${firstToken}`)), /belongs to ticket/);
  });

  it('a tampered token (edited ticket id, edited signature, token signed with another secret)', async () => {
    const token = first.parsed.replyTo!.value[0].address!;
    const otherTicket = token.replace(/\+r(\d+)\./, (_m, id: string) => `+r${Number(id) + 1}.`);
    const otherMac = token.replace(/([0-9a-f])@/, (_m, c: string) => `${c === '0' ? '1' : '0'}@`);
    const foreign = replyAddress('not-our-secret', 'support@desk.example', { ticketId: 1, agentId: 1 });
    for (const address of [otherTicket, otherMac, foreign]) {
      const raw = replyToCaptured(first, { from: AGENT.email, text: 'Tampered.' });
      await expectRefused(Buffer.from(raw.toString('utf8').replace(/^To: .*$/m, `To: ${address}`)), /signature mismatch/);
    }
  });

  it('while the genuine reply goes through', async () => {
    const before = customerMails();
    expect(await receive(desk, replyToCaptured(first, { from: `Ann Lee <${AGENT.email}>`, text: 'The genuine answer.' }))).toMatchObject({ status: 'appended', ticket: 1000 });
    await flush(desk);
    expect(customerMails()).toBe(before + 1);
    expect(smtp.to('hal@customer.example').at(-1)!.parsed.text).toContain('The genuine answer.');
  });

  it("an agent's own out-of-office reply is kept on the ticket and never relayed", async () => {
    const before = customerMails();
    const ooo = replyToCaptured(first, { from: AGENT.email, text: 'I am out of the office until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(await receive(desk, ooo)).toMatchObject({ status: 'appended', ticket: 1000 });
    await flush(desk);
    expect(customerMails()).toBe(before);
    const ticket = (await findTicketByNumber(desk.db, 1000))!;
    expect(await listEvents(desk.db, ticket.id, 'agent-auto-reply-ignored')).toHaveLength(1);
  });

  it('imported history (backfill, quiet) is stored on the ticket and never relayed', async () => {
    const before = customerMails();
    const backfill = (raw: Buffer) => ingestRawMail(desk, { source: 'backfill', mailbox: desk.mailboxes[0], raw, receivedAt: desk.now(), quiet: true });
    const withToken = replyToCaptured(first, { from: AGENT.email, text: 'An old answer from the archive.' });
    const tokenless = Buffer.from(replyToCaptured(first, { from: AGENT.email, text: 'Another old answer.' }).toString('utf8').replace(/^To: .*$/m, 'To: support@desk.example'));
    expect(await backfill(withToken)).toMatchObject({ status: 'appended', ticket: 1000 });
    expect(await backfill(tokenless)).toMatchObject({ status: 'appended', ticket: 1000 });
    await flush(desk);
    expect(customerMails()).toBe(before);
  });
});
