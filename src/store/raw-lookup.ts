// The raw store's index: a kept mail is found by its sha256 through the row that keeps it (its
// message, or its quarantine entry), as a git object is found through its pack's index.
import { desc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { RawLocation } from './raw-store.ts';
import { rawOfQuarantined } from './quarantine.ts';
import { messages, quarantine } from './schema.ts';

export function findRawMail(db: Db, sha256: string): RawLocation | undefined {
  const stored = db
    .select({ pack: messages.rawPack, offset: messages.rawOffset, size: messages.rawSize })
    .from(messages)
    .where(eq(messages.rawSha256, sha256))
    .get();
  if (stored?.pack && stored.offset !== null && stored.size !== null) return { pack: stored.pack, offset: stored.offset, size: stored.size, sha256 };
  const held = db.select().from(quarantine).where(eq(quarantine.rawSha256, sha256)).orderBy(desc(quarantine.id)).get();
  return held ? rawOfQuarantined(held) : undefined;
}
