// One pass of the follow-up loop: each due follow-up is claimed, queued and marked sent in one
// transaction, so it goes out once even when two processes run the pass. A customer who rated the
// ticket 1–2 gets no follow-up before an agent has looked again (a reply, note or command after the
// rating): the ticket's agents get one reminder instead, and the follow-up waits.
import { inTransaction, type App } from '../app.ts';
import { isSafeAddress } from '../outbound/header-safety.ts';
import { languageOf } from '../outbound/language.ts';
import { formatLocalTime } from '../outbound/local-time.ts';
import { queueTemplatedMailFor } from '../outbound/queue.ts';
import { owners } from '../sla/recipients.ts';
import { findCustomerById } from '../store/customers.ts';
import { listEvents, recordEvent } from '../store/events.ts';
import { agentLookedSince, dueFollowUps } from '../store/follow-ups.ts';
import { findTicketById, updateTicket, type TicketRow } from '../store/tickets.ts';
import { isDone } from './plan.ts';

/** Ratings up to this hold the follow-up until an agent has looked again. */
const LOW_RATING = 2;

export interface FollowUpPass {
  /** Follow-up mails queued to customers. */
  followUps: number;
  /** Tickets whose agents were reminded of a low rating instead. */
  reminders: number;
  /** Planned follow-ups dropped: the ticket was reopened, or its customer's address is unusable. */
  cancelled: number;
}

type Outcome = keyof FollowUpPass | 'waiting';

export async function runFollowUps(app: App): Promise<FollowUpPass> {
  const now = app.now();
  const pass: FollowUpPass = { followUps: 0, reminders: 0, cancelled: 0 };
  for (const due of await dueFollowUps(app.db, now)) {
    const outcome = await inTransaction(app, (app) => followUp(app, due.id, now));
    if (outcome !== 'waiting') pass[outcome]++;
  }
  return pass;
}

async function followUp(app: App, ticketId: number, now: Date): Promise<Outcome> {
  // Read again inside the transaction: another process may have sent it meanwhile.
  const ticket = (await findTicketById(app.db, ticketId))!;
  if (ticket.followUpSentAt || !ticket.followUpAt || ticket.followUpAt > now) return 'waiting';
  const customer = (await findCustomerById(app.db, ticket.customerId))!;
  // Reopened outside the mail pipeline (which drops the plan itself), or an address we will not write to.
  const unusable = !isDone(ticket) ? `ticket is ${ticket.status}` : !isSafeAddress(customer.email) ? 'customer address is not a plain addr-spec' : undefined;
  if (unusable) {
    await updateTicket(app.db, ticket.id, { followUpAt: null });
    await recordEvent(app.db, ticket.id, 'follow-up-dropped', { planned: ticket.followUpAt.toISOString(), reason: unusable }, now);
    return 'cancelled';
  }
  if (await heldByRating(app, ticket)) return remindAgents(app, ticket, now);
  const language = languageOf(app, customer);
  const row = await queueTemplatedMailFor(app, { ticket, customer }, {
    template: 'follow-up',
    to: { address: customer.email, name: customer.name ?? '' },
    data: { resolved: formatLocalTime(app, ticket.resolvedAt ?? ticket.updatedAt, language) },
  });
  await updateTicket(app.db, ticket.id, { followUpSentAt: now });
  await recordEvent(app.db, ticket.id, 'follow-up-sent', { messageId: row.messageId }, now);
  return 'followUps';
}

async function heldByRating(app: App, ticket: TicketRow): Promise<boolean> {
  if (ticket.rating === null || ticket.rating > LOW_RATING || !ticket.ratedAt) return false;
  return !(await agentLookedSince(app.db, ticket.id, ticket.ratedAt));
}

/** One reminder per rating: the ticket's agents hear of it once, and the follow-up waits for them. */
async function remindAgents(app: App, ticket: TicketRow, now: Date): Promise<Outcome> {
  const ratedAt = ticket.ratedAt!.toISOString();
  if ((await listEvents(app.db, ticket.id, 'follow-up-held')).some((e) => e.data.ratedAt === ratedAt)) return 'waiting';
  const to = await owners(app, ticket);
  const data = {
    rating: ticket.rating,
    comment: ticket.ratingComment ?? '',
    ratedAt: formatLocalTime(app, ticket.ratedAt!, app.config.language),
    due: formatLocalTime(app, ticket.followUpAt!, app.config.language),
  };
  const parties = { ticket, customer: (await findCustomerById(app.db, ticket.customerId))! };
  for (const address of to) await queueTemplatedMailFor(app, parties, { template: 'follow-up-reminder', to: address, data });
  await recordEvent(app.db, ticket.id, 'follow-up-held', { rating: ticket.rating, ratedAt, to }, now);
  return 'reminders';
}
