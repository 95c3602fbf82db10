// The whole conversation by email against a real SMTP server: customer → acknowledgement and agent
// notification → agent replies by email → customer receives it (signature, threading, no quotes, no
// agent address) → customer answers on the same ticket → #note (nothing to the customer) → #close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { listEvents } from '../../src/store/events.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskWith, flush, receive, replyToCaptured, type Desk } from './desk.ts';

const CUSTOMER = 'carol@customer.example';
const last = (smtp: SmtpCapture, address: string): CapturedMail => smtp.to(address).at(-1)!;

describe('agents work by email', () => {
  let smtp: SmtpCapture;
  let desk: Desk;
  const lastTo = (address: string) => last(smtp, address);
  const idOf = (m: CapturedMail) => m.parsed.messageId!.replace(/^<|>$/g, '');

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    desk = await deskWith(smtp, {
      agents: [{ ...AGENT, signature: '{{ agent.name }}, {{ agent.title }}\n{{ mailbox.name }} · ticket {{ ticket.number }} · {{ helpUrl }}' }],
    });
    // An earlier ticket, so that the notification shows the customer's history.
    await receive(desk, buildMail({ from: `Carol <${CUSTOMER}>`, subject: 'Invoice question', messageId: 'old@customer.example' }));
    await flush(desk);
  });
  afterAll(async () => {
    await desk.close();
    await smtp.down();
  });

  it('acknowledges the customer and notifies the agent with the history', async () => {
    const before = smtp.mails.length;
    const result = await receive(desk, buildMail({ from: `Carol <${CUSTOMER}>`, subject: 'Filter broken', messageId: 'q1@customer.example', text: 'My air filter shows a red light.' }));
    expect(result).toMatchObject({ status: 'created', ticket: 1001 });
    expect(await flush(desk)).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(smtp.mails.length).toBe(before + 2);

    const ack = lastTo(CUSTOMER);
    expect(ack.parsed.subject).toBe('[#1001] We received your message: Filter broken');
    expect(ack.headers('auto-submitted')).toEqual(['auto-replied']);
    expect(ack.headers('x-auto-response-suppress')).toEqual(['All']);
    expect(ack.parsed.inReplyTo).toBe('<q1@customer.example>');
    expect(ack.parsed.text).toContain('We will reply within 24 hours, by 09:00 tomorrow (UTC).');
    expect(ack.parsed.text).toContain('https://help.desk.example');
    expect(idOf(ack)).toMatch(/^pd\.1001\.[0-9a-f]+\.[0-9a-f]+@desk\.example$/);

    const note = lastTo(AGENT.email);
    expect(note.parsed.subject).toBe('[#1001] New ticket: Filter broken');
    expect(note.headers('auto-submitted')).toEqual(['auto-generated']);
    expect(note.parsed.replyTo?.value[0].address).toMatch(/^support\+r\d+\.\d+\.[0-9a-f]{24}@desk\.example$/);
    expect(note.parsed.text).toContain('My air filter shows a red light.');
    expect(note.parsed.text).toMatch(/\[#1000\] Invoice question \(new, /);
  });

  it('relays the agent reply from the support address with signature, threading and no quote', async () => {
    const before = smtp.to(CUSTOMER).length;
    const reply = replyToCaptured(lastTo(AGENT.email), {
      from: `Ann Lee <${AGENT.email}>`,
      text: 'Hi Carol,\n\nplease hold the reset button for five seconds.\n\nAnn\n-- \nAnn Lee\nSent from my phone',
    });
    expect(await receive(desk, reply)).toMatchObject({ status: 'appended', ticket: 1001 });
    await flush(desk);
    expect(smtp.to(CUSTOMER).length).toBe(before + 1);
    const answer = lastTo(CUSTOMER);
    const ack = smtp.to(CUSTOMER)[before - 1];
    expect(answer.parsed.from?.value[0]).toEqual({ address: 'support@desk.example', name: 'Ann Lee' });
    expect(answer.parsed.replyTo?.value[0].address).toBe('support@desk.example');
    expect(answer.raw.toString('utf8')).not.toContain(AGENT.email);
    expect(answer.parsed.subject).toBe('[#1001] Filter broken');
    expect(answer.headers('auto-submitted')).toEqual([]);
    expect(answer.parsed.inReplyTo).toBe(`<${idOf(ack)}>`);
    expect(answer.parsed.references).toEqual(['<q1@customer.example>', `<${idOf(ack)}>`]);
    expect(answer.parsed.text).toContain('please hold the reset button for five seconds.');
    expect(answer.parsed.text).toContain('Ann Lee, Support engineer\nsupport · ticket 1001 · https://help.desk.example');
    expect(answer.parsed.text).not.toContain('red light');
    expect(answer.parsed.text).not.toContain('wrote:');
    expect(answer.parsed.text).not.toContain('Sent from my phone');
    const ticket = (await findTicketByNumber(desk.db, 1001))!;
    expect(ticket.firstResponseAt).not.toBeNull();
    expect(ticket.status).toBe('open');
  });

  it('files the customer answer on the same ticket and notifies the agent in the same thread', async () => {
    const notificationsBefore = smtp.to(AGENT.email);
    const answer = replyToCaptured(lastTo(CUSTOMER), { from: `Carol <${CUSTOMER}>`, text: 'That worked, thanks! One more thing: the app is offline.' });
    expect(await receive(desk, answer)).toMatchObject({ status: 'appended', ticket: 1001 });
    const customerMails = smtp.to(CUSTOMER).length;
    await flush(desk);
    expect(smtp.to(CUSTOMER).length).toBe(customerMails); // no second acknowledgement
    const update = lastTo(AGENT.email);
    expect(update.parsed.subject).toBe('[#1001] Customer replied: Filter broken');
    expect(update.parsed.text).toContain('the app is offline');
    expect(update.parsed.text).not.toContain('reset button');
    const earlier = notificationsBefore.filter((m) => m.parsed.subject?.startsWith('[#1001]')).map((m) => `<${idOf(m)}>`);
    expect(update.parsed.references).toEqual(earlier.length === 1 ? earlier[0] : earlier);
  });

  it('keeps a #note internal: nothing reaches the customer', async () => {
    const customerMails = smtp.to(CUSTOMER).length;
    const note = replyToCaptured(lastTo(AGENT.email), { from: AGENT.email, text: '#note\nCustomer runs firmware 1.2; the offline bug is known.' });
    expect(await receive(desk, note)).toMatchObject({ status: 'appended', ticket: 1001 });
    await flush(desk);
    expect(smtp.to(CUSTOMER).length).toBe(customerMails);
    const ticket = (await findTicketByNumber(desk.db, 1001))!;
    const stored = (await listMessages(desk.db, ticket.id)).at(-1)!;
    expect(stored).toMatchObject({ kind: 'note', visibleText: 'Customer runs firmware 1.2; the offline bug is known.' });
    expect(smtp.mails.some((m) => m.envelope.to.includes(CUSTOMER) && m.parsed.text?.includes('firmware 1.2'))).toBe(false);
  });

  it('rejects an unknown command: the agent gets an error, the customer nothing', async () => {
    const customerMails = smtp.to(CUSTOMER).length;
    const agentMails = smtp.to(AGENT.email).length;
    const bad = replyToCaptured(lastTo(AGENT.email), { from: AGENT.email, text: '#frobnicate now\nThis must not be sent.' });
    await receive(desk, bad);
    await flush(desk);
    expect(smtp.to(CUSTOMER).length).toBe(customerMails);
    expect(smtp.to(AGENT.email).length).toBe(agentMails + 1);
    const error = lastTo(AGENT.email);
    expect(error.parsed.subject).toBe('[#1001] Not sent: error in your commands');
    expect(error.parsed.text).toContain('#frobnicate now: unknown command');
  });

  it('#close sends the answer and resolves the ticket', async () => {
    const customerMails = smtp.to(CUSTOMER).length;
    const close = replyToCaptured(lastTo(AGENT.email), { from: AGENT.email, text: '#close\n#priority high\nThe offline fix ships in 1.3 next week.' });
    await receive(desk, close);
    await flush(desk);
    expect(smtp.to(CUSTOMER).length).toBe(customerMails + 1);
    expect(lastTo(CUSTOMER).parsed.text).toMatch(/^The offline fix ships in 1\.3 next week\./);
    expect(lastTo(CUSTOMER).parsed.text).not.toContain('#close');
    const ticket = (await findTicketByNumber(desk.db, 1001))!;
    expect(ticket).toMatchObject({ status: 'resolved', priority: 'high' });
    expect((await listEvents(desk.db, ticket.id, 'status-changed')).at(-1)?.data).toMatchObject({ to: 'resolved', by: AGENT.email });
  });
});

describe('an agent answering from an HTML mail client', () => {
  it('relays only the new text: no quote, no client signature, no markup', async () => {
    const smtp = await SmtpCapture.start();
    const desk = await deskWith(smtp);
    try {
      await receive(desk, buildMail({ from: `Carol <${CUSTOMER}>`, subject: 'HTML client', text: 'Is the filter washable?' }));
      await flush(desk);
      const notification = last(smtp, AGENT.email);
      const html = [
        '<div dir="ltr">No, <b>please</b> replace it every 6 months.<br><br>Ann<br>Sent from my iPhone</div>',
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, Nov 2, 2026 at 9:05 AM support &lt;support@desk.example&gt; wrote:</div>',
        '<blockquote class="gmail_quote">New ticket 1000 … Is the filter washable?</blockquote></div>',
      ].join('');
      const text = 'No, *please* replace it every 6 months.\n\nAnn\nSent from my iPhone\n\nOn Mon, Nov 2, 2026 at 9:05 AM support <support@desk.example> wrote:\n\n> New ticket 1000\n> Is the filter washable?\n';
      const boundary = 'alt-1';
      const raw = replyToCaptured(notification, { from: AGENT.email, text: 'placeholder', quote: false })
        .toString('utf8')
        .replace(/Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nplaceholder\r\n/, [
          `Content-Type: multipart/alternative; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          text.replace(/\n/g, '\r\n'),
          `--${boundary}`,
          'Content-Type: text/html; charset=utf-8',
          '',
          html,
          `--${boundary}--`,
          '',
        ].join('\r\n'));
      expect(await receive(desk, Buffer.from(raw))).toMatchObject({ status: 'appended', ticket: 1000 });
      await flush(desk);
      const answer = last(smtp, CUSTOMER).parsed;
      expect(answer.text).toMatch(/^No, please replace it every 6 months\.\n\nAnn\n\n-- \n/);
      expect(answer.text).not.toMatch(/iPhone|washable|wrote/);
      expect(answer.html).toContain('No, please replace it every 6 months.');
      expect(answer.html).not.toContain('<b>');
    } finally {
      await desk.close();
      await smtp.down();
    }
  });
});
