import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { PackLocation } from './pack-store.ts';
import type { quarantine } from './schema.ts';
import { execute, first, all, tablesOf } from './dialect.ts';
import { withoutNul } from './without-nul.ts';

export type QuarantineRow = typeof quarantine.$inferSelect;

export async function quarantineMail(
  db: Db,
  q: { raw: PackLocation; source: string; mailbox: string; reason: string; at: Date },
): Promise<QuarantineRow> {
  const { quarantine } = tablesOf(db);
  // A reason may quote the mail (a failed query's parameters): a NUL in it must not fail this insert too.
  const reason = withoutNul(q.reason);
  // The same raw held again (a retry that fails again, a redelivery) updates the one row.
  const held = (await first(db
    .select()
    .from(quarantine)
    .where(and(eq(quarantine.rawSha256, q.raw.sha256), eq(quarantine.status, 'held')))));
  if (held) return (await first(db.update(quarantine).set({ reason }).where(eq(quarantine.id, held.id)).returning()))!;
  return (await first(db
    .insert(quarantine)
    .values({ rawSha256: q.raw.sha256, rawSize: q.raw.size, rawPack: q.raw.pack, rawOffset: q.raw.offset, source: q.source, mailbox: q.mailbox, reason, createdAt: q.at })
    .returning()))!;
}

/** Where the held mail's raw bytes are. */
export function rawOfQuarantined(q: QuarantineRow): PackLocation {
  return { pack: q.rawPack, offset: q.rawOffset, size: q.rawSize, sha256: q.rawSha256 };
}

export async function listQuarantine(db: Db, status: 'held' | 'released' = 'held'): Promise<QuarantineRow[]> {
  const { quarantine } = tablesOf(db);
  return all(db.select().from(quarantine).where(eq(quarantine.status, status)).orderBy(asc(quarantine.id)));
}

export async function findQuarantine(db: Db, id: number): Promise<QuarantineRow | undefined> {
  const { quarantine } = tablesOf(db);
  return first(db.select().from(quarantine).where(eq(quarantine.id, id)));
}

export async function markReleased(db: Db, id: number, at: Date): Promise<void> {
  const { quarantine } = tablesOf(db);
  await execute(db.update(quarantine).set({ status: 'released', retriedAt: at }).where(eq(quarantine.id, id)));
}

export async function markRetried(db: Db, id: number, at: Date): Promise<void> {
  const { quarantine } = tablesOf(db);
  await execute(db.update(quarantine).set({ retriedAt: at }).where(eq(quarantine.id, id)));
}
