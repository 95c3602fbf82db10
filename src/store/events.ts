import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { insertRowId } from './prepared.ts';
import { ticketEvents } from './schema.ts';

export type TicketEventRow = typeof ticketEvents.$inferSelect;

/** Appends to a ticket's audit trail (created, appended, status-changed, acknowledgement-suppressed, ...). */
export async function recordEvent(db: Db, ticketId: number, type: string, data: Record<string, unknown>, at: Date): Promise<void> {
  await insertRowId(db, ticketEvents, { ticketId, type, data, createdAt: at });
}

export async function listEvents(db: Db, ticketId: number, type?: string): Promise<TicketEventRow[]> {
  const where = type ? and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, type)) : eq(ticketEvents.ticketId, ticketId);
  return db.select().from(ticketEvents).where(where).orderBy(asc(ticketEvents.id)).all();
}
