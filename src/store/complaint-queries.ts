// The report's read of complaints: those received in a period (a range over tickets_created) with
// their outcome so far, one row each; the follow-up's answer is looked up per ticket by index.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { all, jsonText, tablesOf } from './dialect.ts';

export interface ComplaintOutcome {
  createdAt: Date;
  /** When it was last resolved; null while open. */
  resolvedAt: Date | null;
  followUpSentAt: Date | null;
  /** The customer wrote on the ticket after the follow-up. */
  answered: boolean;
  /** The ticket was reopened after the follow-up. */
  reopened: boolean;
}

export async function complaintsCreatedBetween(db: Db, start: Date, end: Date): Promise<ComplaintOutcome[]> {
  const { tickets } = tablesOf(db);
  // Written out with the table's name: drizzle leaves a column of the one selected table unqualified,
  // and inside the subquery that would name the subquery's own column.
  const answered = sql<number>`EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = tickets.id AND m.kind = 'customer' AND m.received_at > tickets.follow_up_sent_at)`;
  const reopened = sql<number>`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.type = 'status-changed'
    AND e.created_at > tickets.follow_up_sent_at AND ${jsonText(db, sql`e.data`, 'to')} = 'open')`;
  return (await all(db
    .select({
      createdAt: tickets.createdAt,
      status: tickets.status,
      resolvedAt: tickets.resolvedAt,
      followUpSentAt: tickets.followUpSentAt,
      answered,
      reopened,
    })
    .from(tickets)
    .where(and(gte(tickets.createdAt, start), lt(tickets.createdAt, end), eq(tickets.type, 'complaint')))))
    .map(({ status, ...t }) => ({
      ...t,
      resolvedAt: status === 'resolved' || status === 'closed' ? t.resolvedAt : null,
      answered: Boolean(t.answered),
      reopened: Boolean(t.reopened),
    }));
}
