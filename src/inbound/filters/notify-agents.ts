// Agents hear of each new ticket and each customer reply by mail, with the customer's other tickets;
// they answer by pressing Reply (the notification's Reply-To carries their signed token). Nothing is
// left out unsaid: a long message is attached whole (../../outbound/excerpt.ts), and a history longer
// than the list says how many earlier tickets it leaves out.
import type { App } from '../../app.ts';
import { complaintNotice } from '../../complaints/notice.ts';
import { customerStage } from '../../customers/stage.ts';
import { excerpt } from '../../outbound/excerpt.ts';
import { formatLocalTime } from '../../outbound/local-time.ts';
import { queueAgentNotification } from '../../outbound/digest.ts';
import { ticketTag } from '../../outbound/queue.ts';
import { agentsToNotify } from '../../outbound/recipients.ts';
import { findCustomerById } from '../../store/customers.ts';
import { customerTicketCount, customerTickets } from '../../store/outgoing-queries.ts';
import type { TicketRow } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

const HISTORY_LENGTH = 10;

/** The customer's latest other tickets, and how many older ones the list leaves out. */
async function customerHistory(app: App, ticket: TicketRow) {
  const others = (await customerTickets(app.db, ticket.customerId, HISTORY_LENGTH + 2)).filter((t) => t.id !== ticket.id);
  const history = others
    .slice(0, HISTORY_LENGTH)
    .map((t) => ({ tag: ticketTag(app, t), subject: t.subject, status: t.status, created: formatLocalTime(app, t.createdAt, app.config.language) }));
  // Counted only when the list is full: most customers have fewer tickets.
  const left = others.length > HISTORY_LENGTH ? (await customerTicketCount(app.db, ticket.customerId, Number.MAX_SAFE_INTEGER)) - 1 - HISTORY_LENGTH : 0;
  return { history, historyLeftOut: left };
}

export const notifyAgents: CommitFilter = {
  name: 'notify-agents',
  async run(ctx) {
    const { app } = ctx;
    if (ctx.quiet || required(ctx.sender, 'sender').role !== 'customer' || required(ctx.classification, 'classification').kind !== 'human') return;
    const ticket = required(ctx.ticket, 'ticket');
    const mail = required(ctx.mail, 'mail');
    const agents = await agentsToNotify(app, ticket);
    if (!agents.length) return;
    const thread = required(ctx.thread, 'thread');
    // A bare score is for the report; a rating with words is something the customer wants read.
    if (thread.rating && !thread.rating.comment) return;
    const isNew = thread.action === 'create';
    const message = excerpt((isNew ? ctx.text : ctx.visibleText || ctx.text) ?? '', `ticket-${ticket.number}-message.txt`);
    // Read once for all the agents' mails.
    const parties = { ticket, customer: (await findCustomerById(app.db, ticket.customerId))! };
    // The mail's real sender, who on an update may be a colleague the customer copied.
    const sender = { from: mail.from.address, fromName: mail.from.name, byCustomer: mail.from.address === parties.customer.email };
    const data = {
      message: { ...sender, text: message.text, whole: message.whole ?? null },
      faqMatches: ctx.faqMatches ?? [],
      complaint: complaintNotice(app, ctx.complaint),
      linked: thread.linkedTo ? { tag: ticketTag(app, thread.linkedTo), number: thread.linkedTo.number, reason: thread.linkReason } : null,
      stage: await customerStage(app, parties.customer),
      ...(await customerHistory(app, ticket)),
    };
    const attachments = message.attachment ? [message.attachment] : [];
    for (const agent of agents) {
      // In a burst, held for one digest (../../outbound/digest.ts).
      await queueAgentNotification(app, parties, { template: isNew ? 'agent-new-ticket' : 'agent-update', to: { address: agent.email, name: agent.name }, data, attachments });
    }
  },
};
