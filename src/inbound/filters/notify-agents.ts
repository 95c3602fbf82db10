// Agents hear of each new ticket and each customer reply by mail, with the customer's other tickets;
// they answer by pressing Reply (the notification's Reply-To carries their signed token).
import type { App } from '../../app.ts';
import { formatLocalTime } from '../../outbound/local-time.ts';
import { queueTemplatedMailFor, ticketTag } from '../../outbound/queue.ts';
import { agentsToNotify } from '../../outbound/recipients.ts';
import { findCustomerById } from '../../store/customers.ts';
import { customerTickets } from '../../store/outgoing-queries.ts';
import type { TicketRow } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

const HISTORY_LENGTH = 10;

function customerHistory(app: App, ticket: TicketRow) {
  return customerTickets(app.db, ticket.customerId, HISTORY_LENGTH + 1)
    .filter((t) => t.id !== ticket.id)
    .slice(0, HISTORY_LENGTH)
    .map((t) => ({ tag: ticketTag(app, t), subject: t.subject, status: t.status, created: formatLocalTime(app, t.createdAt, app.config.language) }));
}

export const notifyAgents: CommitFilter = {
  name: 'notify-agents',
  run(ctx) {
    const { app } = ctx;
    if (ctx.quiet || required(ctx.sender, 'sender').role !== 'customer' || required(ctx.classification, 'classification').kind !== 'human') return;
    const ticket = required(ctx.ticket, 'ticket');
    const mail = required(ctx.mail, 'mail');
    const agents = agentsToNotify(app, ticket);
    if (!agents.length) return;
    const isNew = required(ctx.thread, 'thread').action === 'create';
    const data = {
      message: { from: mail.from.address, text: (isNew ? ctx.text : ctx.visibleText || ctx.text) ?? '' },
      history: customerHistory(app, ticket),
    };
    // Read once for all the agents' mails.
    const parties = { ticket, customer: findCustomerById(app.db, ticket.customerId)! };
    for (const agent of agents) {
      queueTemplatedMailFor(app, parties, { template: isNew ? 'agent-new-ticket' : 'agent-update', to: { address: agent.email, name: agent.name }, data });
    }
  },
};
