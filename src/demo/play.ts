// Plays ./script.ts through the real pipeline: each mail goes in by ingestRawMail, each answer comes
// out of the outbox as the .eml the sender writes without SMTP, and the next mail is built as a mail
// client's Reply to that .eml. Prints each step and where its .eml lies.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { App } from '../app.ts';
import { ingestRawMail } from '../inbound/pipeline.ts';
import type { IngestResult } from '../inbound/ingest-result.ts';
import { openDelivery, sentCopyFile } from '../outbound/delivery.ts';
import { deliverDueMail } from '../outbound/sender.ts';
import { slaList } from '../sla/sla-view.ts';
import { listOutbox } from '../store/outbox.ts';
import { findTicketByNumber, type TicketRow } from '../store/tickets.ts';
import { slaLine } from '../cli/commands/sla.ts';
import { AGENT_REPLY, CUSTOMER_MAILS, DEMO_ENVIRONMENT, FOLLOW_UP, type ScriptedMail } from './script.ts';

interface SentMail {
  kind: string;
  ticketId: number | null;
  file: string;
  mail: ParsedMail;
}

const say = (...lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);
const indent = (text: string) => text.split('\n').map((l) => (l ? `     ${l}` : '')).join('\n');

/** Plays the story on an App whose clock `setTime` moves; the App must have no SMTP configured. */
export async function playDemo(app: App, setTime: (minutesAgo: number) => void): Promise<void> {
  const outbox = emlOutbox(app);
  try {
    say(`Postdesk demo in ${app.config.dataDir}`, `No SMTP is configured, so every outgoing mail is written as an .eml file.`);
    say(`The desk is set up only by ${Object.entries(DEMO_ENVIRONMENT).map(([k, v]) => `${k}="${v}"`).join(' ')}.`);

    step(1, `Two customers write to ${app.mailboxes[0].address}`);
    const tickets: TicketRow[] = [];
    for (const scripted of CUSTOMER_MAILS) {
      setTime(scripted.minutesAgo);
      const result = await receive(app, await compose(scripted, app.now(), { to: app.mailboxes[0].address }));
      const ticket = await ticketOf(app, result);
      tickets.push(ticket);
      say(`   ${scripted.from}: "${scripted.subject}"  →  ${result.status} #${ticket.number}`);
    }
    const first = await outbox.flush();

    step(2, 'Each customer gets an acknowledgement with the ticket number and the promised answer time');
    for (const ticket of tickets) {
      const ack = only(first, 'acknowledgement', ticket);
      showMail(ack, linesFrom(ack.mail.text, String(ticket.number), 2));
    }

    step(3, 'The agent is notified, with a signed Reply-To that binds a reply to this ticket and this agent');
    const notifications = tickets.map((ticket) => only(first, 'agent-new-ticket', ticket));
    for (const n of notifications) showMail(n, [firstLine(n.mail.text), `Reply-To: ${n.mail.replyTo?.text}`]);

    const [ticket] = tickets;
    step(4, `${AGENT_REPLY.from} presses Reply on the notification of #${ticket.number} and writes above the quote:`);
    setTime(AGENT_REPLY.minutesAgo);
    const notification = notifications[0].mail;
    say(indent(AGENT_REPLY.text), `   Her mail client sends it to ${notification.replyTo?.text}, In-Reply-To ${notification.messageId}`);
    const replied = await receive(app, await replyTo(notification, AGENT_REPLY, app.now()));
    say(`   →  ${replied.status} #${replied.ticket}, priority now ${(await ticketOf(app, replied)).priority}; the command line and the quote are not relayed`);

    step(5, 'The answer goes to the customer from the support address, with the agent\'s Postdesk signature');
    const answer = only(await outbox.flush(), 'agent-reply', ticket);
    showMail(answer, [`From: ${answer.mail.from?.text}`, ...(answer.mail.text ?? '').trimEnd().split('\n')]);

    step(6, 'The customer replies to that answer: it lands in the same ticket, and the agent hears of it');
    setTime(FOLLOW_UP.minutesAgo);
    say(indent(FOLLOW_UP.text));
    const followUp = await receive(app, await replyTo(answer.mail, FOLLOW_UP, app.now()));
    if ((await ticketOf(app, followUp)).id !== ticket.id) throw new Error(`demo: the follow-up was filed in #${followUp.ticket}, not in #${ticket.number}`);
    say(`   →  ${followUp.status} #${followUp.ticket}, the same ticket (its In-Reply-To names the answer)`);
    const update = only(await outbox.flush(), 'agent-update', ticket);
    showMail(update, [firstLine(update.mail.text)]);

    step(7, 'postdesk sla: the open tickets by due time');
    setTime(0);
    say(...(await slaList(app)).map((r) => `   ${slaLine(app, r)}`));

    const data = app.config.dataDir;
    say('', 'Look around:', ...[`tickets show ${ticket.number}`, 'tickets list', 'outbox list', 'sla'].map((c) => `   npx postdesk --data ${data} ${c}`), `   ls ${path.join(data, 'outbox-sent')}`);
  } finally {
    outbox.close();
  }
}

function step(n: number, title: string): void {
  say('', `${n}. ${title}`);
}

function showMail(sent: SentMail, lines: string[]): void {
  say(`   to ${sent.mail.to && !Array.isArray(sent.mail.to) ? sent.mail.to.text : ''}: ${sent.mail.subject}`, indent(lines.join('\n')), `     ${sent.file}`);
}

function receive(app: App, raw: Buffer): Promise<IngestResult> {
  return ingestRawMail(app, { source: 'demo', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
}

async function ticketOf(app: App, result: IngestResult): Promise<TicketRow> {
  const ticket = result.ticket === null ? undefined : await findTicketByNumber(app.db, result.ticket);
  if (!ticket) throw new Error(`demo: the mail was ${result.status}${result.reason ? ` (${result.reason})` : ''}, not filed in a ticket`);
  return ticket;
}

/** The one mail of a kind about a ticket among those just sent. */
function only(sent: SentMail[], kind: string, ticket: TicketRow): SentMail {
  const found = sent.filter((s) => s.kind === kind && s.ticketId === ticket.id);
  if (found.length !== 1) throw new Error(`demo: expected one ${kind} mail for #${ticket.number}, the outbox sent ${found.length}`);
  return found[0];
}

/** The outbox as the sender delivers it without SMTP: each flush returns the mails it wrote, read back from their .eml files. */
function emlOutbox(app: App) {
  if (app.config.smtp) throw new Error('demo: SMTP must not be configured');
  const delivery = openDelivery(app);
  let lastId = 0;
  return {
    async flush(): Promise<SentMail[]> {
      await deliverDueMail(app, delivery);
      const rows = (await listOutbox(app.db, { status: 'sent' })).filter((r) => r.id > lastId);
      lastId = Math.max(lastId, ...rows.map((r) => r.id));
      return Promise.all(
        rows.map(async (r) => {
          const file = sentCopyFile(app.config.dataDir, r.messageId);
          return { kind: r.kind, ticketId: r.ticketId, file, mail: await simpleParser(fs.readFileSync(file)) };
        }),
      );
    },
    close: () => delivery.close(),
  };
}

function compose(scripted: ScriptedMail, date: Date, headers: { to: string; subject?: string; inReplyTo?: string; references?: string[] }): Promise<Buffer> {
  return new MailComposer({ from: scripted.from, subject: scripted.subject, text: scripted.text, date, ...headers }).compile().build();
}

/** What a mail client sends when its user presses Reply on `original` and writes above the quote. */
function replyTo(original: ParsedMail, scripted: ScriptedMail, date: Date): Promise<Buffer> {
  const earlier = original.references === undefined ? [] : [original.references].flat();
  const quote = (original.text ?? '').trimEnd().split('\n').map((l) => `> ${l}`).join('\n');
  const text = `${scripted.text}\n\nOn ${original.date?.toUTCString()}, ${original.from?.text} wrote:\n${quote}\n`;
  return compose({ ...scripted, text }, date, {
    to: original.replyTo?.text ?? original.from!.text,
    subject: `Re: ${original.subject}`,
    inReplyTo: original.messageId,
    references: [...earlier, original.messageId!],
  });
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0];
}

/** `count` lines of text from the first that contains `needle`. */
function linesFrom(text: string | undefined, needle: string, count: number): string[] {
  const lines = (text ?? '').split('\n');
  const at = lines.findIndex((l) => l.includes(needle));
  return at < 0 ? [] : lines.slice(at, at + count);
}
