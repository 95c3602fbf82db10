// A customer's new ticket is acknowledged in the customer's language: its number, the promise of the
// ticket's own due time (in the customer's time zone when their mail tells it, else the mailbox's),
// the help-center link. Unless the loop guard objects; then the ticket event says why not.
import type { App } from '../../app.ts';
import { zoneOfDateHeader } from '../../outbound/customer-zone.ts';
import { isSafeAddress } from '../../outbound/header-safety.ts';
import { languageOf, rememberCustomerLanguage } from '../../outbound/language.ts';
import { queueTemplatedMailFor } from '../../outbound/queue.ts';
import { replyPromise } from '../../outbound/reply-promise.ts';
import { findCustomerById } from '../../store/customers.ts';
import { recordEvent } from '../../store/events.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { customerTicketCount } from '../../store/outgoing-queries.ts';
import { required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

const HOUR_MS = 60 * 60 * 1000;

const mailboxZone = (app: App, mailbox: MailboxRow) => app.config.mailboxes.find((m) => m.name === mailbox.name)?.timeZone ?? app.config.timeZone;

export const queueAcknowledgement: CommitFilter = {
  name: 'queue-acknowledgement',
  async run(ctx) {
    const { app } = ctx;
    const sender = required(ctx.sender, 'sender');
    if (ctx.quiet || required(ctx.thread, 'thread').action !== 'create' || sender.role !== 'customer') return;
    // As stored: start-sla-clock, earlier in this transaction, read it again after setting the due time we promise.
    const ticket = required(ctx.ticket, 'ticket');
    const customerId = sender.customerId!;
    let customer = (await findCustomerById(app.db, customerId))!;
    const firstTicket = (await customerTicketCount(app.db, customerId, 2)) === 1;
    if (firstTicket) customer = await rememberCustomerLanguage(app, customer, ctx.visibleText || ctx.text || '');
    // A sender address we will not write into a header (quoted local part, odd characters) is still
    // a ticket; it just gets no acknowledgement.
    const unsafe = isSafeAddress(customer.email) ? [] : [`customer address ${JSON.stringify(customer.email)} is not a plain addr-spec`];
    const reasons = [...outboundDecisions(ctx).noAutoReply, ...unsafe];
    if (reasons.length) {
      await recordEvent(app.db, ticket.id, 'acknowledgement-suppressed', { reasons }, ctx.receivedAt);
      return;
    }
    // No SLA policy covers the ticket: the configured promise instead.
    const due = ticket.dueAt ?? new Date(ticket.createdAt.getTime() + app.config.outbound.replyWithinHours * HOUR_MS);
    const zone = zoneOfDateHeader(required(ctx.mail, 'mail').headers.get('date')?.[0]) ?? mailboxZone(app, ctx.mailbox);
    const reply = replyPromise(due, app.now(), zone, languageOf(app, customer));
    const row = await queueTemplatedMailFor(app, { ticket, customer }, {
      template: 'acknowledgement',
      to: { address: customer.email, name: customer.name ?? '' },
      // due and replyWithinHours: for an admin's template written before `reply`; now they agree.
      data: { reply, due: reply.by, replyWithinHours: reply.hours, suggestions: ctx.faqMatches?.filter((m) => m.suggested) ?? [] },
    });
    await recordEvent(app.db, ticket.id, 'acknowledgement-queued', { messageId: row.messageId }, ctx.receivedAt);
  },
};
