// The reads behind `postdesk report`: each is a range over an indexed time column
// (tickets_created, tickets_resolved, sla_clocks_stopped, sla_clocks_due), never a full scan.
import { and, eq, gt, gte, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from './db.ts';
import { slaClocks, tickets, type Priority } from './schema.ts';

export interface CreatedTicket {
  mailboxId: number;
  priority: Priority;
  createdAt: Date;
  firstResponseAt: Date | null;
}

export interface TicketGroupKey {
  mailboxId: number;
  priority: Priority;
}

export interface SlaOutcome extends TicketGroupKey {
  met: boolean;
}

export function ticketsCreatedBetween(db: Db, start: Date, end: Date): CreatedTicket[] {
  return db
    .select({ mailboxId: tickets.mailboxId, priority: tickets.priority, createdAt: tickets.createdAt, firstResponseAt: tickets.firstResponseAt })
    .from(tickets)
    .where(and(gte(tickets.createdAt, start), lt(tickets.createdAt, end)))
    .all();
}

export function ticketsResolvedBetween(db: Db, start: Date, end: Date): TicketGroupKey[] {
  return db
    .select({ mailboxId: tickets.mailboxId, priority: tickets.priority })
    .from(tickets)
    .where(and(gte(tickets.resolvedAt, start), lt(tickets.resolvedAt, end)))
    .all();
}

/**
 * Every SLA target decided in the period, counted once: met when answered in the period before its
 * due time; breached when its due time passed in the period (up to `now`) unanswered and not paused.
 */
export function slaOutcomesBetween(db: Db, start: Date, end: Date, now: Date): SlaOutcome[] {
  const group = { mailboxId: tickets.mailboxId, priority: tickets.priority };
  const met = db
    .select(group)
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .where(and(gte(slaClocks.stoppedAt, start), lt(slaClocks.stoppedAt, end), lte(slaClocks.stoppedAt, slaClocks.dueAt)))
    .all();
  const breachedUntil = end < now ? end : now;
  const breached = db
    .select(group)
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .where(
      and(
        gte(slaClocks.dueAt, start),
        lt(slaClocks.dueAt, breachedUntil),
        or(isNull(slaClocks.stoppedAt), gt(slaClocks.stoppedAt, slaClocks.dueAt)),
        // A clock paused before its due time has not run out: its due time moves on resume.
        or(isNull(slaClocks.pausedAt), gt(slaClocks.pausedAt, slaClocks.dueAt)),
      ),
    )
    .all();
  return [...met.map((g) => ({ ...g, met: true })), ...breached.map((g) => ({ ...g, met: false }))];
}
