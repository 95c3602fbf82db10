import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { PackLocation } from './pack-store.ts';
import { quarantine } from './schema.ts';

export type QuarantineRow = typeof quarantine.$inferSelect;

export async function quarantineMail(
  db: Db,
  q: { raw: PackLocation; source: string; mailbox: string; reason: string; at: Date },
): Promise<QuarantineRow> {
  // The same raw held again (a retry that fails again, a redelivery) updates the one row.
  const held = db
    .select()
    .from(quarantine)
    .where(and(eq(quarantine.rawSha256, q.raw.sha256), eq(quarantine.status, 'held')))
    .get();
  if (held) return db.update(quarantine).set({ reason: q.reason }).where(eq(quarantine.id, held.id)).returning().get();
  return db
    .insert(quarantine)
    .values({ rawSha256: q.raw.sha256, rawSize: q.raw.size, rawPack: q.raw.pack, rawOffset: q.raw.offset, source: q.source, mailbox: q.mailbox, reason: q.reason, createdAt: q.at })
    .returning()
    .get();
}

/** Where the held mail's raw bytes are. */
export function rawOfQuarantined(q: QuarantineRow): PackLocation {
  return { pack: q.rawPack, offset: q.rawOffset, size: q.rawSize, sha256: q.rawSha256 };
}

export async function listQuarantine(db: Db, status: 'held' | 'released' = 'held'): Promise<QuarantineRow[]> {
  return db.select().from(quarantine).where(eq(quarantine.status, status)).orderBy(asc(quarantine.id)).all();
}

export async function findQuarantine(db: Db, id: number): Promise<QuarantineRow | undefined> {
  return db.select().from(quarantine).where(eq(quarantine.id, id)).get();
}

export async function markReleased(db: Db, id: number, at: Date): Promise<void> {
  db.update(quarantine).set({ status: 'released', retriedAt: at }).where(eq(quarantine.id, id)).run();
}

export async function markRetried(db: Db, id: number, at: Date): Promise<void> {
  db.update(quarantine).set({ retriedAt: at }).where(eq(quarantine.id, id)).run();
}
