// A customer's new ticket is acknowledged in the customer's language: number, promised reply time,
// help-center link. Unless the loop guard objects; then the ticket event says why not.
import { isSafeAddress } from '../../outbound/header-safety.ts';
import { formatLocalTime } from '../../outbound/local-time.ts';
import { languageOf, rememberCustomerLanguage } from '../../outbound/language.ts';
import { queueTemplatedMailFor } from '../../outbound/queue.ts';
import { findCustomerById } from '../../store/customers.ts';
import { recordEvent } from '../../store/events.ts';
import { customerTicketCount } from '../../store/outgoing-queries.ts';
import { required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

const HOUR_MS = 60 * 60 * 1000;

export const queueAcknowledgement: CommitFilter = {
  name: 'queue-acknowledgement',
  run(ctx) {
    const { app } = ctx;
    const sender = required(ctx.sender, 'sender');
    if (ctx.quiet || required(ctx.thread, 'thread').action !== 'create' || sender.role !== 'customer') return;
    // As stored: start-sla-clock, earlier in this transaction, read it again after setting the due time we promise.
    const ticket = required(ctx.ticket, 'ticket');
    const customerId = sender.customerId!;
    let customer = findCustomerById(app.db, customerId)!;
    const firstTicket = customerTicketCount(app.db, customerId, 2) === 1;
    if (firstTicket) customer = rememberCustomerLanguage(app, customer, ctx.visibleText || ctx.text || '');
    // A sender address we will not write into a header (quoted local part, odd characters) is still
    // a ticket; it just gets no acknowledgement.
    const unsafe = isSafeAddress(customer.email) ? [] : [`customer address ${JSON.stringify(customer.email)} is not a plain addr-spec`];
    const reasons = [...outboundDecisions(ctx).noAutoReply, ...unsafe];
    if (reasons.length) {
      recordEvent(app.db, ticket.id, 'acknowledgement-suppressed', { reasons }, ctx.receivedAt);
      return;
    }
    const { replyWithinHours } = app.config.outbound;
    const due = ticket.dueAt ?? new Date(ticket.createdAt.getTime() + replyWithinHours * HOUR_MS);
    const row = queueTemplatedMailFor(app, { ticket, customer }, {
      template: 'acknowledgement',
      to: { address: customer.email, name: customer.name ?? '' },
      data: { due: formatLocalTime(app, due, languageOf(app, customer)), replyWithinHours, suggestions: ctx.faqMatches?.filter((m) => m.suggested) ?? [] },
    });
    recordEvent(app.db, ticket.id, 'acknowledgement-queued', { messageId: row.messageId }, ctx.receivedAt);
  },
};
