// Who may write into a ticket: its customer, everyone the ticket's mails were addressed to (To/Cc)
// and the agents. A stranger who knows a Message-ID of the ticket (it leaks through any Cc or
// forward) or its number gets a ticket of its own, linked to that one; the notifications name
// whoever really wrote; the link is shown by ticket number in the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/store/events.ts';
import { listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { jsonLines, postdesk } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskWith, flush, receive, replyToCaptured, type Desk } from './desk.ts';

const ALICE = 'Alice Customer <alice@cust.example>';
const CAROL = 'Carol Colleague <carol@cust.example>';
const EVE = 'Eve Stranger <eve@evil.example>';

describe('who may write into a ticket', () => {
  let smtp: SmtpCapture;
  let desk: Desk;
  const ticket = async (number: number) => (await findTicketByNumber(desk.db, number))!;
  const inbound = async (number: number) => (await listMessages(desk.db, (await ticket(number)).id)).filter((m) => m.direction === 'in');
  /** The mails to agents that a step sent. */
  async function agentMailsOf(step: () => Promise<unknown>): Promise<CapturedMail[]> {
    const before = smtp.mails.length;
    await step();
    await flush(desk);
    return smtp.mails.slice(before).filter((m) => m.envelope.to.includes(AGENT.email));
  }
  const cli = (...args: string[]) => postdesk([...args, '--data', desk.config.dataDir, '--config', `${desk.config.dataDir}/postdesk.config.json`]);

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    desk = await deskWith(smtp);
    // Alice writes, copying her colleague Carol; Ann answers and resolves the ticket.
    await receive(desk, buildMail({ from: ALICE, to: 'support@desk.example', cc: CAROL, subject: 'Refund please', messageId: 'alice-1@cust.example', text: 'Please refund order 77.' }));
    await flush(desk);
    const notification = smtp.to(AGENT.email).at(-1)!;
    await receive(desk, replyToCaptured(notification, { from: AGENT.email, text: '#close\nRefunded today.' }));
    await flush(desk);
    expect((await ticket(1000)).status).toBe('resolved');
  });
  afterAll(async () => {
    await desk?.close();
    await smtp?.down();
  });

  it("a stranger's reply by In-Reply-To opens a new linked ticket; the resolved one stays resolved and unnamed", async () => {
    let result: unknown;
    const mails = await agentMailsOf(async () => {
      result = await receive(desk, buildMail({ from: EVE, subject: 'Re: Refund please', inReplyTo: 'alice-1@cust.example', references: ['alice-1@cust.example'], text: 'Please send the refund to my account IBAN X instead.' }));
    });
    expect(result).toMatchObject({ status: 'created', ticket: 1001 });
    expect((await ticket(1000)).status).toBe('resolved');
    expect((await inbound(1000)).map((m) => m.fromAddress)).toEqual(['alice@cust.example', AGENT.email]);
    expect(await ticket(1001)).toMatchObject({ linkedTicketId: (await ticket(1000)).id, customerId: expect.any(Number) });
    expect((await ticket(1001)).customerId).not.toBe((await ticket(1000)).customerId);
    expect((await listEvents(desk.db, (await ticket(1000)).id, 'linked')).map((e) => e.data)).toEqual([expect.objectContaining({ ticket: 1001 })]);
    expect((await listEvents(desk.db, (await ticket(1001)).id, 'linked')).map((e) => e.data)).toEqual([expect.objectContaining({ ticket: 1000 })]);

    expect(mails).toHaveLength(1);
    const [note] = mails;
    expect(note.parsed.subject).toBe('[#1001] New ticket: Re: Refund please');
    expect(note.parsed.text).toContain('Eve Stranger <eve@evil.example>');
    expect(note.parsed.text).toContain('IBAN X');
    // The link is shown to the agents, by number; the other ticket's customer is not named.
    expect(note.parsed.text).toMatch(/linked to ticket \[#1000\]/i);
    expect(note.parsed.html).toMatch(/linked to ticket \[#1000\]/i);
    for (const part of [note.parsed.text, note.parsed.html, note.parsed.subject]) {
      expect(part).not.toContain('alice@cust.example');
      expect(part).not.toContain('Alice');
    }
  });

  it("the stranger's later subject tag is still refused: she did not become a participant", async () => {
    const mails = await agentMailsOf(async () => {
      expect(await receive(desk, buildMail({ from: EVE, subject: 'Re: [#1000] Refund please', text: 'Did you see my new account?' }))).toMatchObject({ status: 'created', ticket: 1002 });
    });
    expect((await ticket(1000)).status).toBe('resolved');
    expect(await inbound(1000)).toHaveLength(2);
    expect((await ticket(1002)).linkedTicketId).toBe((await ticket(1000)).id);
    for (const m of mails) expect(`${m.parsed.subject}\n${m.parsed.text}`).not.toContain('alice@cust.example');
  });

  it("a stranger's robot by the chain does not land on the ticket either", async () => {
    const result = await receive(desk, buildMail({ from: EVE, subject: 'Automatic reply: Refund please', inReplyTo: 'alice-1@cust.example', headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(result).toMatchObject({ status: 'created', ticket: 1003 });
    expect(await inbound(1000)).toHaveLength(2);
    expect((await ticket(1000)).status).toBe('resolved');
  });

  it('Carol, copied by Alice, joins the ticket through the chain, and the update names Carol', async () => {
    let result: unknown;
    const mails = await agentMailsOf(async () => {
      result = await receive(desk, buildMail({ from: CAROL, subject: 'Re: Refund please', inReplyTo: 'alice-1@cust.example', text: 'Not arrived yet on our side.' }));
    });
    expect(result).toMatchObject({ status: 'appended', ticket: 1000 });
    expect((await ticket(1000)).status).toBe('open');
    expect(mails).toHaveLength(1);
    const [update] = mails;
    expect(update.parsed.text).toContain('Carol Colleague <carol@cust.example> wrote on ticket 1000');
    expect(update.parsed.html).toContain('Carol Colleague &lt;carol@cust.example&gt; wrote on ticket');
    expect(update.parsed.text).not.toMatch(/Alice Customer <alice@cust\.example> wrote/);
    // The answer goes to the ticket's customer only, and the agent is told so.
    expect(update.parsed.text).toContain('Replies go to the customer, Alice Customer <alice@cust.example>');
  });

  it("the agent's answer to Carol's update goes to the ticket's customer only", async () => {
    const before = smtp.mails.length;
    await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: 'It left our bank yesterday.' }));
    await flush(desk);
    const sent = smtp.mails.slice(before);
    expect(sent.map((m) => m.envelope.to)).toEqual([['alice@cust.example']]);
    expect(sent[0].parsed.cc).toBeUndefined();
  });

  it('tickets show names each real sender and the links by number, both ways (JSON and text)', () => {
    const linked = cli('tickets', 'show', '1001', '--json');
    expect(linked.stderr).toBe('');
    expect(jsonLines(linked.stdout)[0]).toMatchObject({ number: 1001, linkedTicket: 1000, linkedFrom: [] });
    expect(cli('tickets', 'show', '1001').stdout).toMatch(/^linked to #1000$/m);

    const original = jsonLines(cli('tickets', 'show', '1000', '--json').stdout)[0] as { linkedTicket: unknown; linkedFrom: unknown; messages: { from: string; fromName: string; direction: string }[] };
    expect(original).toMatchObject({ linkedTicket: null, linkedFrom: [1001, 1002, 1003] });
    expect(original.messages.filter((m) => m.direction === 'in').map((m) => m.from)).toEqual(['alice@cust.example', AGENT.email, 'carol@cust.example', AGENT.email]);
    const text = cli('tickets', 'show', '1000').stdout;
    expect(text).toMatch(/^linked from #1001, #1002, #1003$/m);
    expect(text).toContain('from Carol Colleague <carol@cust.example> (customer)');
    expect(text).toContain('from Alice Customer <alice@cust.example> (customer)');
    expect(text).toContain('from Ann Lee to alice@cust.example (agent)\nRefunded today.');
    expect(text).not.toContain('eve@evil.example');
    // The list shows the link too, by number.
    const list = jsonLines<{ number: number; linkedTicket: number | null }[]>(cli('tickets', 'list', '--json').stdout)[0];
    expect(list.find((t) => t.number === 1002)?.linkedTicket).toBe(1000);
  });
});
