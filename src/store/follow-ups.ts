// The follow-up's reads: planned follow-ups through the partial index tickets_follow_up (unsent
// ones only), and whether an agent has looked at a ticket since a time.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import type { TicketRow } from './tickets.ts';
import { all, tablesOf } from './dialect.ts';

/** Unsent follow-ups due by `now`, the earliest first. */
export async function dueFollowUps(db: Db, now: Date): Promise<TicketRow[]> {
  const { tickets } = tablesOf(db);
  return all(db
    .select()
    .from(tickets)
    .where(and(isNull(tickets.followUpSentAt), lte(tickets.followUpAt, now)))
    .orderBy(asc(tickets.followUpAt)));
}

/** Every unsent follow-up, due or not, the earliest first. */
export async function plannedFollowUps(db: Db): Promise<TicketRow[]> {
  const { tickets } = tablesOf(db);
  return all(db
    .select()
    .from(tickets)
    .where(and(isNull(tickets.followUpSentAt), isNotNull(tickets.followUpAt)))
    .orderBy(asc(tickets.followUpAt)));
}

/** An agent's reply, note or command on the ticket after `since`. */
export async function agentLookedSince(db: Db, ticketId: number, since: Date): Promise<boolean> {
  const { messages } = tablesOf(db);
  const row = await prepared(db, 'agentLookedSince', () =>
    db
      .select({ id: messages.id })
      .from(messages)
      // `since` is a Date: a placeholder in a condition is encoded by the column only when wrapped in a param.
      // `system`: the raw record of an agent's relayed reply or command mail (route-agent-reply).
      .where(and(eq(messages.ticketId, sql.placeholder('ticketId')), inArray(messages.kind, ['agent', 'note', 'system']), gt(messages.receivedAt, sql.param(sql.placeholder('since'), messages.receivedAt))))
      .limit(1)
      .prepare(),
  ).get({ ticketId, since });
  return row !== undefined;
}
