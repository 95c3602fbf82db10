// SLA clocks (see schema.ts slaClocks): the running targets of each ticket, and the tick's queries.
import { and, asc, eq, gte, isNull, lte, min, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { prepared, updateRow } from './prepared.ts';
import type { slaClocks, SlaTarget } from './schema.ts';
import { execute, all, isPostgres, sqlRows, tablesOf, type Tables } from './dialect.ts';

export type SlaClockRow = typeof slaClocks.$inferSelect;

/** Starts a clock. Prepared once, and without RETURNING: nobody reads the row back. */
export async function insertClock(db: Db, clock: { ticketId: number; target: SlaTarget; targetMs: number; startedAt: Date; warnAt: Date; dueAt: Date }): Promise<void> {
  const { slaClocks } = tablesOf(db);
  await prepared(db, 'insertClock', () =>
    db
      .insert(slaClocks)
      .values({
        ticketId: sql.placeholder('ticketId'),
        target: sql.placeholder('target'),
        targetMs: sql.placeholder('targetMs'),
        // Placeholders in insert values are encoded by their columns: times as milliseconds.
        startedAt: sql.placeholder('startedAt'),
        warnAt: sql.placeholder('warnAt'),
        dueAt: sql.placeholder('dueAt'),
      })
      .prepare(),
  ).run(clock);
}

export async function runningClocks(db: Db, ticketId: number): Promise<SlaClockRow[]> {
  const { slaClocks } = tablesOf(db);
  return prepared(db, 'runningClocks', () =>
    db
      .select()
      .from(slaClocks)
      .where(and(eq(slaClocks.ticketId, sql.placeholder('ticketId')), isNull(slaClocks.stoppedAt)))
      .orderBy(asc(slaClocks.dueAt))
      .prepare(),
  ).all({ ticketId });
}

export async function hasClock(db: Db, ticketId: number, target: SlaTarget): Promise<boolean> {
  const { slaClocks } = tablesOf(db);
  const row = await prepared(db, 'hasClock', () =>
    db
      .select({ id: slaClocks.id })
      .from(slaClocks)
      .where(and(eq(slaClocks.ticketId, sql.placeholder('ticketId')), eq(slaClocks.target, sql.placeholder('target'))))
      .limit(1)
      .prepare(),
  ).get({ ticketId, target });
  return row !== undefined;
}

export async function updateClock(db: Db, id: number, change: Partial<Pick<SlaClockRow, 'targetMs' | 'warnAt' | 'dueAt' | 'pausedAt' | 'stoppedAt'>>): Promise<void> {
  const { slaClocks } = tablesOf(db);
  await updateRow(db, slaClocks, slaClocks.id, id, change);
}

/**
 * The ticket's due time is its earliest running target: what lists sort by and the acknowledgement
 * promises. One statement, which writes the ticket only when its due time moved: mostly it has not,
 * and writing the row cost far more than comparing.
 */
export async function refreshTicketDue(db: Db, ticketId: number): Promise<void> {
  const { slaClocks, tickets } = tablesOf(db);
  await prepared(db, 'refreshTicketDue', () => {
    const earliest = sql`(${db
      .select({ due: min(slaClocks.dueAt) })
      .from(slaClocks)
      .where(and(eq(slaClocks.ticketId, sql.placeholder('ticketId')), isNull(slaClocks.stoppedAt)))})`;
    return db
      .update(tickets)
      .set({ dueAt: earliest })
      .where(and(eq(tickets.id, sql.placeholder('ticketId')), sql`${tickets.dueAt} IS DISTINCT FROM ${earliest}`))
      .prepare();
  }).run({ ticketId });
}

/** When the first human agent reply to the customer (an outgoing agent message) since a time was sent. */
export async function humanReplySince(db: Db, ticketId: number, since: Date): Promise<Date | undefined> {
  const { messages } = tablesOf(db);
  const row = await prepared(db, 'humanReplySince', () =>
    db
      .select({ at: messages.receivedAt })
      .from(messages)
      .where(
        and(
          eq(messages.ticketId, sql.placeholder('ticketId')),
          eq(messages.direction, 'out'),
          eq(messages.kind, 'agent'),
          // Wrapped so the column encodes the Date; a bare placeholder in a condition is passed as given.
          gte(messages.receivedAt, sql.param(sql.placeholder('since'), messages.receivedAt)),
        ),
      )
      .orderBy(asc(messages.receivedAt))
      .limit(1)
      .prepare(),
  ).get({ ticketId, since });
  return row?.at;
}

/**
 * Tickets whose running clocks disagree with the ticket: resolved or pending without the clocks
 * knowing, or answered. The inbound pipeline keeps them in step; this catches changes made elsewhere.
 */
export async function ticketsOutOfStep(db: Db): Promise<number[]> {
  const { messages, slaClocks, tickets } = tablesOf(db);
  return (await all(db
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
    )))
    .map((r) => r.id);
}

export type SlaNoticeKind = 'warning' | 'breach';

/** Each notice's time and once-only marker. */
const noticeColumns = (slaClocks: Tables['slaClocks'], notice: SlaNoticeKind) =>
  notice === 'warning'
    ? { time: slaClocks.warnAt, marker: slaClocks.warnedAt, set: (at: Date) => ({ warnedAt: at }) }
    : { time: slaClocks.dueAt, marker: slaClocks.breachedAt, set: (at: Date) => ({ breachedAt: at }) };

/**
 * Running, unpaused clocks past the notice's time that have not had it yet; found through the
 * partial indexes sla_clocks_warn_pending and sla_clocks_breach_pending.
 */
export async function clocksDueForNotice(db: Db, notice: SlaNoticeKind, now: Date): Promise<SlaClockRow[]> {
  const { slaClocks } = tablesOf(db);
  const { time, marker } = noticeColumns(slaClocks, notice);
  return all(db
    .select()
    .from(slaClocks)
    .where(and(isNull(slaClocks.stoppedAt), isNull(marker), isNull(slaClocks.pausedAt), lte(time, now))));
}

/** Claims a notice: true only for the one caller that set the marker, so each notice goes out once. */
export async function claimNotice(db: Db, clockId: number, notice: SlaNoticeKind, at: Date): Promise<boolean> {
  const { slaClocks } = tablesOf(db);
  const { marker, set } = noticeColumns(slaClocks, notice);
  return (await execute(db.update(slaClocks).set(set(at)).where(and(eq(slaClocks.id, clockId), isNull(marker))))) === 1;
}

export interface OpenTicketDue {
  ticketId: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  customer: string;
  /** Epoch milliseconds, not Dates: the list can be long, and plain numbers keep it cheap. */
  clock: { target: SlaTarget; warnAt: number; dueAt: number; pausedAt: number | null };
}

/**
 * Open tickets with a running target, earliest due first (the higher priority first at equal due
 * times); one row per running clock. Written as one SQL statement: `postdesk sla --json` lists every
 * open ticket, and drizzle's row mapping doubled its time. SQLite's is read in
 * raw rows (arrays); PostgreSQL's turns its timestamps into epoch milliseconds in the query.
 */
const OPEN_TICKETS_FROM = `
  FROM tickets t
  JOIN sla_clocks c ON c.ticket_id = t.id AND c.stopped_at IS NULL
  JOIN customers cu ON cu.id = t.customer_id
  WHERE t.status IN ('new', 'open', 'pending') AND t.due_at IS NOT NULL
  ORDER BY t.due_at, CASE t.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END DESC, t.id, c.due_at`;

const OPEN_TICKETS_BY_DUE = `SELECT t.id, t.number, t.subject, t.status, t.priority, cu.email, c.target, c.warn_at, c.due_at, c.paused_at ${OPEN_TICKETS_FROM}`;

// float8, not int8: drizzle's queries hand int8 over as strings.
const epochMillis = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
const OPEN_TICKETS_BY_DUE_PG = sql.raw(
  `SELECT t.id, t.number, t.subject, t.status, t.priority, cu.email, c.target,
    ${epochMillis('c.warn_at')} AS warn_at, ${epochMillis('c.due_at')} AS due_at, ${epochMillis('c.paused_at')} AS paused_at ${OPEN_TICKETS_FROM}`,
);

type OpenTicketRaw = [number, number, string, string, string, string, SlaTarget, number, number, number | null];

interface OpenTicketPgRow {
  id: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  email: string;
  target: SlaTarget;
  warn_at: number;
  due_at: number;
  paused_at: number | null;
}

export async function openTicketsByDue(db: Db): Promise<OpenTicketDue[]> {
  if (isPostgres(db)) {
    return (await sqlRows<OpenTicketPgRow>(db, OPEN_TICKETS_BY_DUE_PG)).map((r) => ({
      ticketId: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status,
      priority: r.priority,
      customer: r.email,
      clock: { target: r.target, warnAt: r.warn_at, dueAt: r.due_at, pausedAt: r.paused_at },
    }));
  }
  const rows = db.$client.prepare(OPEN_TICKETS_BY_DUE).raw().all() as OpenTicketRaw[];
  return rows.map(([ticketId, number, subject, status, priority, customer, target, warnAt, dueAt, pausedAt]) => ({
    ticketId,
    number,
    subject,
    status,
    priority,
    customer,
    clock: { target, warnAt, dueAt, pausedAt },
  }));
}
