// Queues outgoing mail in the transactional outbox. The public entry point for other modules:
//
//   queueTemplatedMail(app, {
//     ticketId: number,                // the ticket the mail is about
//     template: TemplateName,          // 'sla-warning' | 'sla-breach' | 'resolved' | 'acknowledgement' | ...
//     to: string | { address, name },  // the ticket's customer, or an agent
//     data?: Record<string, unknown>,  // extra Liquid variables for the template
//     attachments?: MailAttachment[],  // files the mail carries (text kept in the outbox row)
//   }): Promise<{ id, messageId }>   // the outbox row and the mail's Message-ID
//
// It writes the outbox row inside the caller's transaction (or its own), so the mail exists exactly
// when the change that caused it is committed. The Message-ID is fixed here; the sender loop delivers.
// Mail to the ticket's customer continues the customer's References chain and is also stored as an
// outgoing `messages` row; mail to an agent threads with that agent's earlier notifications and
// carries a signed Reply-To token so that the agent can answer by email.
import { inTransaction, type App } from '../app.ts';
import { findAgentByEmail, type AgentRow } from '../store/agents.ts';
import { findCustomerById, type CustomerRow } from '../store/customers.ts';
import { insertMessage } from '../store/messages.ts';
import { lastVisibleMessage, sendingMailbox } from '../store/outgoing-queries.ts';
import { insertOutbox, outboxMessageIds, type OutboxRow } from '../store/outbox.ts';
import { findTicketById, type TicketRow } from '../store/tickets.ts';
import { greetingName } from './greeting.ts';
import { checkedAddress, checkedMessageId, headerText, isSafeMessageId, type Address } from './header-safety.ts';
import { languageOf } from './language.ts';
import { mailboxDisplayName, renderMailboxSignature } from './signature.ts';
import { ticketSubject } from './subject.ts';
import { renderTemplate, type TemplateName } from './templates.ts';
import { domainOf, newMessageId, replyAddress } from './tokens.ts';

export interface TemplatedMailRequest {
  ticketId: number;
  template: TemplateName;
  to: string | Address;
  data?: Record<string, unknown>;
  attachments?: MailAttachment[];
}

/** A file a queued mail carries, as nodemailer takes it; stored with the mail in its outbox row. */
export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

/** A queued mail: its outbox row and its Message-ID. */
export type QueuedMail = Pick<OutboxRow, 'id' | 'messageId'>;

/** A ticket and its customer as stored: what every ticket mail is built from. */
export interface TicketParties {
  ticket: TicketRow;
  customer: CustomerRow;
}

/** Machine mails that go to customers: the loop guard counts these per recipient. */
export const AUTOMATIC_CUSTOMER_KINDS: TemplateName[] = ['acknowledgement', 'resolved', 'follow-up'];
/** Mails to agents: their Message-IDs thread an agent's notifications of one ticket. */
export const AGENT_KINDS: TemplateName[] = ['agent-new-ticket', 'agent-update', 'sla-warning', 'sla-breach', 'delivery-failure', 'command-error', 'follow-up-reminder'];

/** The mail a template makes, plus who sends it: a human reply carries no Auto-Submitted header. */
interface TicketMail extends TemplatedMailRequest {
  /** A human agent's reply to the customer (shown with the agent's name, not machine mail). */
  fromAgent?: AgentRow;
}

export function queueTemplatedMail(app: App, request: TemplatedMailRequest): Promise<QueuedMail> {
  return queueTicketMail(app, request);
}

/**
 * queueTemplatedMail for a caller that has read the ticket and its customer in the same transaction:
 * they are not read again (the acknowledgement and the agent notifications do this for every mail).
 */
export function queueTemplatedMailFor(app: App, parties: TicketParties, request: Omit<TemplatedMailRequest, 'ticketId'>): Promise<QueuedMail> {
  return queueTicketMail(app, { ...request, ticketId: parties.ticket.id }, parties);
}

/** A human agent's answer to the customer: stored as an agent message, sent from the support address. */
export async function queueAgentReply(app: App, request: Omit<TicketMail, 'template' | 'to'> & { fromAgent: AgentRow }): Promise<QueuedMail> {
  const { customer } = await ticketParties(app, request.ticketId);
  return queueTicketMail(app, { ...request, template: 'agent-reply', to: { address: customer.email, name: customer.name ?? '' } });
}

export function ticketTag(app: App, ticket: Pick<TicketRow, 'number'>): string {
  return app.config.tickets.subjectTag.replace('{number}', String(ticket.number));
}

async function requireTicket(app: App, ticketId: number): Promise<TicketRow> {
  const ticket = await findTicketById(app.db, ticketId);
  if (!ticket) throw new Error(`no ticket with id ${ticketId}`);
  return ticket;
}

function queueTicketMail(app: App, request: TicketMail, parties?: TicketParties): Promise<QueuedMail> {
  // Inside an ingest transaction already, this joins it.
  return inTransaction(app, async (app) => buildAndQueue(app, request, parties ?? (await ticketParties(app, request.ticketId))));
}

async function ticketParties(app: App, ticketId: number): Promise<TicketParties> {
  const ticket = await requireTicket(app, ticketId);
  return { ticket, customer: (await findCustomerById(app.db, ticket.customerId))! };
}

async function buildAndQueue(app: App, request: TicketMail, { ticket, customer }: TicketParties): Promise<QueuedMail> {
  const { db } = app;
  const mailbox = (await sendingMailbox(db, ticket.mailboxId))!;
  const to = typeof request.to === 'string' ? checkedAddress(request.to) : checkedAddress(request.to.address, request.to.name);
  const toCustomer = to.address === customer.email;
  const agent = toCustomer ? undefined : await findAgentByEmail(db, to.address);
  const language = toCustomer ? languageOf(app, customer) : app.config.language;
  const tag = ticketTag(app, ticket);
  const displayName = mailboxDisplayName(app, mailbox);
  const rendered = renderTemplate(app, request.template, language, {
    ticket: { number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority, type: ticket.type, tag },
    customer: { name: customer.name ?? '', email: customer.email },
    greeting: { name: greetingName(customer.name, language) },
    mailbox: { name: mailbox.name, address: mailbox.address, displayName, signature: toCustomer ? renderMailboxSignature(app, mailbox, ticket) : displayName },
    agent: agent ? { name: agent.name } : undefined,
    helpUrl: app.config.helpUrl ?? '',
    ...request.data,
  });
  const subject = ticketSubject(rendered.subject, app.config.tickets.subjectTag, ticket.number);
  const now = app.now();
  const messageId = checkedMessageId(newMessageId(app.secret, ticket.number, domainOf(mailbox.address)));
  const human = request.fromAgent !== undefined;
  const thread = toCustomer ? await customerThread(app, ticket.id) : await agentThread(app, ticket.id, to.address);
  const from: Address = { address: mailbox.address, name: headerText(request.fromAgent?.name ?? displayName) };
  const replyTo = agent ? replyAddress(app.secret, mailbox.address, { ticketId: ticket.id, agentId: agent.id }) : mailbox.address;
  const mail = {
    from,
    to: [to],
    replyTo,
    subject,
    text: rendered.text,
    html: rendered.html,
    ...(request.attachments?.length ? { attachments: request.attachments } : {}),
    ...(thread.inReplyTo ? { inReplyTo: `<${thread.inReplyTo}>`, references: thread.references.map((id) => `<${id}>`) } : {}),
    headers: {
      // Our mail coming back to us (an alias, a forward) is recognised by the loop guard.
      'X-Loop': mailbox.address,
      // RFC 3834: machine mail says so, and asks Exchange not to answer it with an out-of-office.
      ...(human ? {} : { 'Auto-Submitted': request.template === 'acknowledgement' ? 'auto-replied' : 'auto-generated', 'X-Auto-Response-Suppress': 'All' }),
    },
  };
  const id = await insertOutbox(db, {
    ticketId: ticket.id,
    kind: request.template,
    messageId,
    recipient: to.address,
    mail,
    nextAttemptAt: now,
    createdAt: now,
  });
  if (toCustomer) {
    await insertMessage(db, {
      ticketId: ticket.id,
      mailboxId: mailbox.id,
      direction: 'out',
      kind: human ? 'agent' : 'auto',
      messageId,
      inReplyTo: thread.inReplyTo ?? null,
      references: thread.references,
      fromAddress: from.address,
      fromName: from.name,
      to: [to],
      subject,
      html: rendered.html,
      text: rendered.text,
      visibleText: rendered.text,
      classification: human ? 'human' : 'autoreply',
      receivedAt: now,
    });
  }
  return { id, messageId };
}

interface Thread {
  inReplyTo?: string;
  references: string[];
}

const MAX_REFERENCES = 20;

/** Continues the customer's chain: In-Reply-To the latest mail they can see, References up to it. */
async function customerThread(app: App, ticketId: number): Promise<Thread> {
  const last = await lastVisibleMessage(app.db, ticketId);
  if (!last || !isSafeMessageId(last.messageId)) return { references: [] };
  const chain = [...last.references, ...(last.inReplyTo ? [last.inReplyTo] : []), last.messageId].filter(isSafeMessageId);
  const references = [...new Set(chain)];
  return { inReplyTo: last.messageId, references: references.slice(-MAX_REFERENCES) };
}

/** Threads an agent's mails about one ticket together in the agent's mail client. */
async function agentThread(app: App, ticketId: number, recipient: string): Promise<Thread> {
  const earlier = await outboxMessageIds(app.db, ticketId, recipient, AGENT_KINDS);
  return earlier.length ? { inReplyTo: earlier.at(-1), references: earlier.slice(-MAX_REFERENCES) } : { references: [] };
}
