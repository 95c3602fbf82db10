// The audit log of what was done to people's data (not to a ticket: see events.ts for those).
import { eq, isNotNull } from 'drizzle-orm';
import type { Db } from './db.ts';
import { insertRowId } from './prepared.ts';
import { type auditEvents, type PendingErasure } from './schema.ts';
import { execute, all, tablesOf } from './dialect.ts';

export type AuditEventRow = typeof auditEvents.$inferSelect;

export async function recordAuditEvent(db: Db, e: { type: string; actor: string; data: Record<string, unknown>; pending?: PendingErasure; at: Date }): Promise<number> {
  const { auditEvents } = tablesOf(db);
  return insertRowId(db, auditEvents, { type: e.type, actor: e.actor, data: e.data, pending: e.pending ?? null, createdAt: e.at });
}

/** Erasures whose files are not all removed yet (cut short by a crash, or running now). */
export async function pendingErasures(db: Db): Promise<AuditEventRow[]> {
  const { auditEvents } = tablesOf(db);
  return all(db.select().from(auditEvents).where(isNotNull(auditEvents.pending)).orderBy(auditEvents.id));
}

export async function markErasureDone(db: Db, id: number): Promise<void> {
  const { auditEvents } = tablesOf(db);
  await execute(db.update(auditEvents).set({ pending: null }).where(eq(auditEvents.id, id)));
}
