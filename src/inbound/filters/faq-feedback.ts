// "Did this answer your question? Yes / No" from the help center arrives as a mail whose subject names
// the entry (`[faq:reset-password] yes`). It is feedback, not a request: recorded on the entry, no
// ticket, no acknowledgement; past one per entry, sender and day it is kept but not counted. A No with
// words of the sender's own is a question after all: it opens a ticket as usual, linked to the entry.
import { feedbackComment, parseFeedbackSubject } from '../../faq/feedback-mail.ts';
import { recordEvent } from '../../store/events.ts';
import { linkFaqFeedbackTicket, recordFaqFeedback } from '../../store/faq-feedback.ts';
import type { TicketRow } from '../../store/tickets.ts';
import { required, type CommitFilter, type MailContext } from '../context.ts';

export const takeFaqFeedback: CommitFilter = {
  name: 'faq-feedback',
  async run(ctx) {
    const mail = required(ctx.mail, 'mail');
    const answer = parseFeedbackSubject(mail.subject);
    if (!answer || ctx.classification?.kind !== 'human' || required(ctx.sender, 'sender').role !== 'customer') return;
    const comment = feedbackComment(ctx.visibleText ?? '');
    const row = await recordFaqFeedback(ctx.app.db, { ...answer, sender: mail.from.address, comment, raw: required(ctx.rawLocation, 'rawLocation'), at: ctx.receivedAt });
    if (!answer.helpful && comment) {
      ctx.faqFeedback = { id: row.id, slug: answer.slug };
      return;
    }
    const said = `faq ${answer.slug}: ${answer.helpful ? 'yes' : 'no'}`;
    ctx.result = { source: ctx.source, status: 'feedback', ticket: null, reason: row.counted ? said : `${said}, not counted (one per entry and sender a day)` };
  },
};

/** The ticket a No with a comment opened points at its entry, and the feedback at the ticket (for record-events). */
export async function linkFeedbackTicket(ctx: MailContext, ticket: TicketRow): Promise<void> {
  if (!ctx.faqFeedback) return;
  await linkFaqFeedbackTicket(ctx.app.db, ctx.faqFeedback.id, ticket.id);
  await recordEvent(ctx.app.db, ticket.id, 'faq-feedback', { slug: ctx.faqFeedback.slug, helpful: false, feedback: ctx.faqFeedback.id }, ctx.receivedAt);
}
