// A customer's answer to "How did we do?" on a resolved ticket: the rating and its comment are
// stored on the ticket (the latest rating counts) with a `rated` event. thread.ts recognises the
// rating and files the mail on its ticket without reopening it; nothing automatic answers it.
import { recordEvent } from '../../store/events.ts';
import { updateTicket } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

export const recordRating: CommitFilter = {
  name: 'record-rating',
  async run(ctx) {
    const { rating } = required(ctx.thread, 'thread');
    if (!rating) return;
    const ticket = required(ctx.ticket, 'ticket');
    outboundDecisions(ctx).noAutoReply.push('a satisfaction rating');
    const at = ctx.receivedAt;
    const data = { rating: rating.score, comment: rating.comment, via: rating.via, from: required(ctx.mail, 'mail').from.address, previous: ticket.rating };
    // Mail can arrive out of order (an IMAP backfill): the rating given last counts, not the one read last.
    if (ticket.ratedAt && ticket.ratedAt > at) {
      await recordEvent(ctx.app.db, ticket.id, 'rated', { ...data, superseded: true }, at);
      return;
    }
    ctx.ticket = await updateTicket(ctx.app.db, ticket.id, { rating: rating.score, ratingComment: rating.comment, ratedAt: at });
    await recordEvent(ctx.app.db, ticket.id, 'rated', data, at);
  },
};
