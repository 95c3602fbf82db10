// After every filter that can resolve or reopen the ticket: plans its follow-up when it was just
// resolved, drops a planned one when it reopened (../../follow-up/plan.ts).
import { planFollowUp } from '../../follow-up/plan.ts';
import { findTicketById } from '../../store/tickets.ts';
import type { CommitFilter } from '../context.ts';

export const planFollowUpFilter: CommitFilter = {
  name: 'plan-follow-up',
  async run(ctx) {
    if (!ctx.ticket || ctx.quiet) return;
    ctx.ticket = await planFollowUp(ctx.app, (await findTicketById(ctx.app.db, ctx.ticket.id))!, ctx.receivedAt);
  },
};
