// The satisfaction reads behind `postdesk report`: the tickets resolved in a period (a range over
// tickets_resolved), counted in SQL per agent who resolved them — the `by` of the ticket's last
// `status-changed` event to resolved, found through ticket_events_ticket.
import { and, count, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { all, jsonText, tablesOf } from './dialect.ts';

export interface RatingCount {
  /** Who resolved the tickets (the address in the event), null when no event names one. */
  resolvedBy: string | null;
  resolved: number;
  rated: number;
  /** Rated 4 or 5. */
  satisfied: number;
  ratingSum: number;
}

export async function ratingsOfTicketsResolvedBetween(db: Db, start: Date, end: Date): Promise<RatingCount[]> {
  const { tickets } = tablesOf(db);
  // tickets.id written out: drizzle would name it unqualified, which inside the subquery means e.id.
  const resolvedBy = sql<string | null>`(
    SELECT ${jsonText(db, sql`e.data`, 'by')} FROM ticket_events e
    WHERE e.ticket_id = tickets.id AND e.type = 'status-changed' AND ${jsonText(db, sql`e.data`, 'to')} = 'resolved'
    ORDER BY e.id DESC LIMIT 1)`;
  // mapWith: drizzle reads PostgreSQL's int8 counts and sums as strings, whatever the pool's parsers.
  return all(db
    .select({
      resolvedBy,
      resolved: count(),
      rated: count(tickets.rating),
      satisfied: sql<number>`count(CASE WHEN ${tickets.rating} >= 4 THEN 1 END)`.mapWith(Number),
      ratingSum: sql<number>`coalesce(sum(${tickets.rating}), 0)`.mapWith(Number),
    })
    .from(tickets)
    .where(and(gte(tickets.resolvedAt, start), lt(tickets.resolvedAt, end)))
    .groupBy(resolvedBy));
}
