// The reads behind `postdesk report`: each is a range over an indexed time column
// (tickets_created, tickets_resolved, sla_clocks_stopped, sla_clocks_due), never a full scan,
// and counts are grouped in SQL so that only the response times travel as rows.
import { and, count, eq, gt, gte, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { Priority } from './schema.ts';
import { all, millisBetween, tablesOf, type Tables } from './dialect.ts';

export interface TicketGroupKey {
  mailboxId: number;
  priority: Priority;
}

export interface CreatedTicket extends TicketGroupKey {
  createdAt: Date;
  /** Milliseconds from creation to the first human reply; null while unanswered. */
  firstResponseMs: number | null;
}

export interface GroupCount extends TicketGroupKey {
  n: number;
}

export interface SlaOutcomeCount extends TicketGroupKey {
  met: number;
  breached: number;
}

const group = (tickets: Tables['tickets']) => ({ mailboxId: tickets.mailboxId, priority: tickets.priority });

export async function ticketsCreatedBetween(db: Db, start: Date, end: Date): Promise<CreatedTicket[]> {
  const { tickets } = tablesOf(db);
  return all(db
    .select({ ...group(tickets), createdAt: tickets.createdAt, firstResponseMs: millisBetween(db, tickets.createdAt, tickets.firstResponseAt) as SQL<number | null> })
    .from(tickets)
    .where(and(gte(tickets.createdAt, start), lt(tickets.createdAt, end))));
}

export async function ticketsResolvedBetween(db: Db, start: Date, end: Date): Promise<GroupCount[]> {
  const { tickets } = tablesOf(db);
  return all(db
    .select({ ...group(tickets), n: count() })
    .from(tickets)
    .where(and(gte(tickets.resolvedAt, start), lt(tickets.resolvedAt, end)))
    .groupBy(tickets.mailboxId, tickets.priority));
}

/**
 * Every SLA target decided in the period, counted once: met when answered in the period before its
 * due time; breached when its due time passed in the period (up to `now`) unanswered and not paused.
 */
export async function slaOutcomesBetween(db: Db, start: Date, end: Date, now: Date): Promise<SlaOutcomeCount[]> {
  const { slaClocks, tickets } = tablesOf(db);
  const met = (await all(db
    .select({ ...group(tickets), n: count() })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .where(and(gte(slaClocks.stoppedAt, start), lt(slaClocks.stoppedAt, end), lte(slaClocks.stoppedAt, slaClocks.dueAt)))
    .groupBy(tickets.mailboxId, tickets.priority)));
  const breached = (await all(db
    .select({ ...group(tickets), n: count() })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .where(
      and(
        gte(slaClocks.dueAt, start),
        lt(slaClocks.dueAt, end < now ? end : now),
        or(isNull(slaClocks.stoppedAt), gt(slaClocks.stoppedAt, slaClocks.dueAt)),
        // A clock paused before its due time has not run out: its due time moves on resume.
        or(isNull(slaClocks.pausedAt), gt(slaClocks.pausedAt, slaClocks.dueAt)),
      ),
    )
    .groupBy(tickets.mailboxId, tickets.priority)));
  return [...met.map(({ n, ...g }) => ({ ...g, met: n, breached: 0 })), ...breached.map(({ n, ...g }) => ({ ...g, met: 0, breached: n }))];
}
