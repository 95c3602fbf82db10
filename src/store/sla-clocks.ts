// SLA clocks (see schema.ts slaClocks): the running targets of each ticket, and the tick's queries.
import { and, asc, desc, eq, gte, inArray, isNull, lte, min, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { customers, messages, slaClocks, tickets, type SlaTarget } from './schema.ts';

export type SlaClockRow = typeof slaClocks.$inferSelect;

export function insertClock(db: Db, clock: { ticketId: number; target: SlaTarget; startedAt: Date; warnAt: Date; dueAt: Date }): SlaClockRow {
  return db.insert(slaClocks).values(clock).returning().get();
}

export function runningClocks(db: Db, ticketId: number): SlaClockRow[] {
  return db
    .select()
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, ticketId), isNull(slaClocks.stoppedAt)))
    .orderBy(asc(slaClocks.dueAt))
    .all();
}

export function hasClock(db: Db, ticketId: number, target: SlaTarget): boolean {
  const row = db
    .select({ id: slaClocks.id })
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, ticketId), eq(slaClocks.target, target)))
    .limit(1)
    .get();
  return row !== undefined;
}

export function updateClock(db: Db, id: number, change: Partial<Pick<SlaClockRow, 'warnAt' | 'dueAt' | 'pausedAt' | 'stoppedAt'>>): void {
  db.update(slaClocks).set(change).where(eq(slaClocks.id, id)).run();
}

/** The ticket's due time is its earliest running target: what lists sort by and the acknowledgement promises. */
export function refreshTicketDue(db: Db, ticketId: number): Date | null {
  const row = db
    .select({ due: min(slaClocks.dueAt) })
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, ticketId), isNull(slaClocks.stoppedAt)))
    .get();
  const due = row?.due ?? null;
  db.update(tickets).set({ dueAt: due }).where(eq(tickets.id, ticketId)).run();
  return due;
}

/** The latest human agent reply sent to the customer (stored as an outgoing agent message) since a time. */
export function humanReplySince(db: Db, ticketId: number, since: Date): Date | undefined {
  const row = db
    .select({ at: messages.receivedAt })
    .from(messages)
    .where(and(eq(messages.ticketId, ticketId), eq(messages.direction, 'out'), eq(messages.kind, 'agent'), gte(messages.receivedAt, since)))
    .orderBy(asc(messages.receivedAt))
    .limit(1)
    .get();
  return row?.at;
}

/**
 * Tickets whose running clocks disagree with the ticket: resolved or pending without the clocks
 * knowing, or answered. The inbound pipeline keeps them in step; this catches changes made elsewhere.
 */
export function ticketsOutOfStep(db: Db): number[] {
  return db
    .selectDistinct({ id: slaClocks.ticketId })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .where(
      and(
        isNull(slaClocks.stoppedAt),
        sql`(${tickets.status} IN ('resolved', 'closed')
          OR (${tickets.status} = 'pending') <> (${slaClocks.pausedAt} IS NOT NULL)
          OR (${slaClocks.target} = 'first-response' AND ${tickets.firstResponseAt} IS NOT NULL)
          OR (${slaClocks.target} = 'next-response' AND EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.ticketId} = ${tickets.id}
              AND ${messages.direction} = 'out' AND ${messages.kind} = 'agent' AND ${messages.receivedAt} >= ${slaClocks.startedAt})))`,
      ),
    )
    .all()
    .map((r) => r.id);
}

export type SlaNoticeKind = 'warning' | 'breach';

/** Each notice's time and once-only marker. */
const NOTICE_COLUMNS = {
  warning: { time: slaClocks.warnAt, marker: slaClocks.warnedAt, set: (at: Date) => ({ warnedAt: at }) },
  breach: { time: slaClocks.dueAt, marker: slaClocks.breachedAt, set: (at: Date) => ({ breachedAt: at }) },
};

/**
 * Running, unpaused clocks past the notice's time that have not had it yet; found through the
 * partial indexes sla_clocks_warn_pending and sla_clocks_breach_pending.
 */
export function clocksDueForNotice(db: Db, notice: SlaNoticeKind, now: Date): SlaClockRow[] {
  const { time, marker } = NOTICE_COLUMNS[notice];
  return db
    .select()
    .from(slaClocks)
    .where(and(isNull(slaClocks.stoppedAt), isNull(marker), isNull(slaClocks.pausedAt), lte(time, now)))
    .all();
}

/** Claims a notice: true only for the one caller that set the marker, so each notice goes out once. */
export function claimNotice(db: Db, clockId: number, notice: SlaNoticeKind, at: Date): boolean {
  const { marker, set } = NOTICE_COLUMNS[notice];
  return db.update(slaClocks).set(set(at)).where(and(eq(slaClocks.id, clockId), isNull(marker))).run().changes === 1;
}

export interface OpenTicketDue {
  ticketId: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  customer: string;
  clock: Pick<SlaClockRow, 'target' | 'warnAt' | 'dueAt' | 'pausedAt'>;
}

/** Higher priority first among equal due times. */
const priorityRank = sql`CASE ${tickets.priority} WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END`;

/**
 * Open tickets with a running target, earliest due first (the higher priority first at equal due
 * times); one row per running clock. Uses tickets_status_due.
 */
export function openTicketsByDue(db: Db): OpenTicketDue[] {
  return db
    .select({
      ticketId: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      customer: customers.email,
      clock: { target: slaClocks.target, warnAt: slaClocks.warnAt, dueAt: slaClocks.dueAt, pausedAt: slaClocks.pausedAt },
    })
    .from(tickets)
    .innerJoin(slaClocks, and(eq(slaClocks.ticketId, tickets.id), isNull(slaClocks.stoppedAt)))
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(inArray(tickets.status, ['new', 'open', 'pending']), sql`${tickets.dueAt} IS NOT NULL`))
    .orderBy(asc(tickets.dueAt), desc(priorityRank), asc(tickets.id), asc(slaClocks.dueAt))
    .all();
}
