// Finds the ticket a mail belongs to: (a) its References/In-Reply-To chain, (b) its subject tag,
// (c) otherwise a new ticket. Only a participant may write into a ticket (its customer, an address
// its mails were sent to, an agent): a Message-ID leaks through any Cc or forward and a number is
// easily guessed, so anyone else gets a new ticket linked to the one named. Closed tickets reopen
// inside the window, except by a satisfaction rating (see record-rating.ts).
import { findCustomerById } from '../../store/customers.ts';
import { findTicketIdByMessageIds } from '../../store/messages.ts';
import { findTicketById, findTicketByNumber, isParticipant, type TicketRow } from '../../store/tickets.ts';
import { required, type CommitFilter, type MailContext, type ThreadDecision } from '../context.ts';
import { readRatingReply } from '../../satisfaction/rating-reply.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function subjectTagPattern(format: string): RegExp {
  const escaped = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{number\\}', '(\\d+)');
  return new RegExp(escaped);
}

/** Every mail is read for its tag; the format is the same each time, so its pattern is built once. */
const patterns = new Map<string, RegExp>();

function tagPattern(format: string): RegExp {
  let pattern = patterns.get(format);
  if (!pattern) patterns.set(format, (pattern = subjectTagPattern(format)));
  return pattern;
}

export function ticketNumberInSubject(subject: string, format: string): number | undefined {
  const m = tagPattern(format).exec(subject);
  return m ? Number(m[1]) : undefined;
}

type Match = { ticket: TicketRow; matchedBy: NonNullable<ThreadDecision['matchedBy']> };

/** The tickets the mail names: by its chain, then by its subject tag. */
async function namedTickets(ctx: MailContext): Promise<Match[]> {
  const { db, config } = ctx.app;
  const mail = required(ctx.mail, 'mail');
  const found: Match[] = [];
  const byChain = await findTicketIdByMessageIds(db, [...mail.references, ...(mail.inReplyTo ? [mail.inReplyTo] : [])]);
  if (byChain !== undefined) found.push({ ticket: (await findTicketById(db, byChain))!, matchedBy: 'references' });
  const tagged = ticketNumberInSubject(mail.subject, config.tickets.subjectTag);
  const byTag = tagged === undefined ? undefined : await findTicketByNumber(db, tagged);
  if (byTag && byTag.id !== byChain) found.push({ ticket: byTag, matchedBy: 'subject-tag' });
  return found;
}

async function mayWriteInto(ctx: MailContext, ticket: TicketRow): Promise<boolean> {
  if (required(ctx.sender, 'sender').role === 'agent') return true;
  const customer = (await findCustomerById(ctx.app.db, ticket.customerId))!;
  return isParticipant(ctx.app.db, ticket, required(ctx.mail, 'mail').from.address, customer.email);
}

export async function threadIncomingMail(ctx: MailContext): Promise<ThreadDecision> {
  const named = await namedTickets(ctx);
  for (const { ticket, matchedBy } of named) {
    if (await mayWriteInto(ctx, ticket)) return followUp(ctx, ticket, matchedBy);
  }
  // Knowing a ticket's Message-ID or number is no permission to write into that ticket.
  if (named.length) return { action: 'create', linkedTo: named[0].ticket, linkReason: 'not-a-participant', matchedBy: named[0].matchedBy };
  return { action: 'create' };
}

/** The satisfaction rating the mail gives (survey-link subject or a short reply), if it is one. */
function ratingIn(ctx: MailContext) {
  const subject = required(ctx.mail, 'mail').subject.replace(tagPattern(ctx.app.config.tickets.subjectTag), ' ');
  return readRatingReply(subject, ctx.visibleText ?? ctx.text ?? '');
}

function followUp(ctx: MailContext, ticket: TicketRow, matchedBy: Match['matchedBy']): ThreadDecision {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') return { action: 'append', ticket, matchedBy };
  // Robots (out-of-office, bounces) are kept on the ticket but never reopen it.
  if (ctx.classification?.kind !== 'human' || ctx.sender?.role === 'agent') return { action: 'append', ticket, matchedBy };
  // An answer to "How did we do?" is about this ticket whenever it comes, and leaves it resolved.
  const rating = ratingIn(ctx);
  if (rating) return { action: 'append', ticket, matchedBy, rating };
  const closedAt = (ticket.resolvedAt ?? ticket.updatedAt).getTime();
  const windowMs = ctx.app.config.tickets.reopenWindowDays * DAY_MS;
  if (ctx.receivedAt.getTime() - closedAt <= windowMs) return { action: 'append', ticket, matchedBy, reopen: true };
  return { action: 'create', linkedTo: ticket, linkReason: 'after-reopen-window', matchedBy };
}

export const threadMail: CommitFilter = {
  name: 'thread',
  async run(ctx) {
    ctx.thread = await threadIncomingMail(ctx);
  },
};
