// Keeps the SLA clocks in step with the mail just stored: a customer's mail starts (or resumes)
// the clock and sets the ticket's due time before anything promises it (the acknowledgement).
import { startClocksForCustomerMail, syncClocks } from '../../sla/clock.ts';
import { findTicketById } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

export const startSlaClock: CommitFilter = {
  name: 'start-sla-clock',
  async run(ctx) {
    // History imported by backfill is stored, not promised: no clock, so no warnings for old mail.
    if (ctx.messageKind !== 'customer' || ctx.quiet) return;
    const ticket = required(ctx.ticket, 'ticket');
    // A mail that leaves the ticket resolved (a satisfaction rating) waits for no answer.
    if (ticket.status === 'resolved' || ticket.status === 'closed') return;
    await startClocksForCustomerMail(ctx.app, ticket, ctx.receivedAt);
    ctx.ticket = (await findTicketById(ctx.app.db, ticket.id))!;
  },
};

/** Last in the pipeline: stops or pauses the clocks after an agent's reply or command changed the ticket. */
export const syncSlaClock: CommitFilter = {
  name: 'sync-sla-clock',
  async run(ctx) {
    if (!ctx.ticket) return;
    const ticket = (await findTicketById(ctx.app.db, ctx.ticket.id))!;
    await syncClocks(ctx.app, ticket, ctx.receivedAt);
  },
};
