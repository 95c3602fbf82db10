// Finds the ticket a mail belongs to: (a) its References/In-Reply-To chain, (b) the subject tag when
// the sender takes part in that ticket, (c) otherwise a new ticket. Closed tickets reopen inside the window.
import { findCustomerById } from '../../store/customers.ts';
import { findTicketIdByMessageIds } from '../../store/messages.ts';
import { findTicketById, findTicketByNumber, isParticipant, type TicketRow } from '../../store/tickets.ts';
import { required, type CommitFilter, type MailContext, type ThreadDecision } from '../context.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function subjectTagPattern(format: string): RegExp {
  const escaped = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{number\\}', '(\\d+)');
  return new RegExp(escaped);
}

/** Every mail is read for its tag; the format is the same each time, so its pattern is built once. */
const patterns = new Map<string, RegExp>();

export function ticketNumberInSubject(subject: string, format: string): number | undefined {
  let pattern = patterns.get(format);
  if (!pattern) patterns.set(format, (pattern = subjectTagPattern(format)));
  const m = pattern.exec(subject);
  return m ? Number(m[1]) : undefined;
}

export function threadIncomingMail(ctx: MailContext): ThreadDecision {
  const { db, config } = ctx.app;
  const mail = required(ctx.mail, 'mail');
  const chain = [...mail.references, ...(mail.inReplyTo ? [mail.inReplyTo] : [])];
  const byChain = findTicketIdByMessageIds(db, chain);
  if (byChain !== undefined) return followUp(ctx, findTicketById(db, byChain)!, 'references');

  const tagged = ticketNumberInSubject(mail.subject, config.tickets.subjectTag);
  const ticket = tagged === undefined ? undefined : findTicketByNumber(db, tagged);
  if (ticket) {
    const customer = findCustomerById(db, ticket.customerId)!;
    if (ctx.sender?.role === 'agent' || isParticipant(db, ticket, mail.from.address, customer.email)) {
      return followUp(ctx, ticket, 'subject-tag');
    }
    // Knowing a ticket number is no permission to write into that ticket.
    return { action: 'create', linkedTo: ticket, linkReason: 'subject tag of a ticket the sender is not part of' };
  }
  return { action: 'create' };
}

function followUp(ctx: MailContext, ticket: TicketRow, matchedBy: ThreadDecision['matchedBy']): ThreadDecision {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') return { action: 'append', ticket, matchedBy };
  // Robots (out-of-office, bounces) are kept on the ticket but never reopen it.
  if (ctx.classification?.kind !== 'human' || ctx.sender?.role === 'agent') return { action: 'append', ticket, matchedBy };
  const closedAt = (ticket.resolvedAt ?? ticket.updatedAt).getTime();
  const windowMs = ctx.app.config.tickets.reopenWindowDays * DAY_MS;
  if (ctx.receivedAt.getTime() - closedAt <= windowMs) return { action: 'append', ticket, matchedBy, reopen: true };
  return { action: 'create', linkedTo: ticket, linkReason: `reply after the ${ctx.app.config.tickets.reopenWindowDays}-day reopen window` };
}

export const threadMail: CommitFilter = {
  name: 'thread',
  run(ctx) {
    ctx.thread = threadIncomingMail(ctx);
  },
};
