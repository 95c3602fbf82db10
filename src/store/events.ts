import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { insertRowId } from './prepared.ts';
import type { ticketEvents } from './schema.ts';
import { all, tablesOf } from './dialect.ts';

export type TicketEventRow = typeof ticketEvents.$inferSelect;

/** Appends to a ticket's audit trail (created, appended, status-changed, acknowledgement-suppressed, ...). */
export async function recordEvent(db: Db, ticketId: number, type: string, data: Record<string, unknown>, at: Date): Promise<void> {
  const { ticketEvents } = tablesOf(db);
  await insertRowId(db, ticketEvents, { ticketId, type, data, createdAt: at });
}

export async function listEvents(db: Db, ticketId: number, type?: string): Promise<TicketEventRow[]> {
  const { ticketEvents } = tablesOf(db);
  const where = type ? and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, type)) : eq(ticketEvents.ticketId, ticketId);
  return all(db.select().from(ticketEvents).where(where).orderBy(asc(ticketEvents.id)));
}
