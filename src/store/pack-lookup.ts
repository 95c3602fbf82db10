// The pack stores' index: a kept content is found by its sha256 through the row that keeps it (a
// message, quarantine entry, duplicate delivery or FAQ feedback for a mail, an attachment row for an
// attachment), as a git object is found through its pack's index.
import { desc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { PackLocation } from './pack-store.ts';
import { rawOfQuarantined } from './quarantine.ts';
import { first, tablesOf } from './dialect.ts';

export async function findRawMail(db: Db, sha256: string): Promise<PackLocation | undefined> {
  const { duplicateDeliveries, faqFeedback, messages, quarantine } = tablesOf(db);
  const stored = (await first(db
    .select({ pack: messages.rawPack, offset: messages.rawOffset, size: messages.rawSize })
    .from(messages)
    .where(eq(messages.rawSha256, sha256))));
  if (stored?.pack && stored.offset !== null && stored.size !== null) return { pack: stored.pack, offset: stored.offset, size: stored.size, sha256 };
  const held = (await first(db.select().from(quarantine).where(eq(quarantine.rawSha256, sha256)).orderBy(desc(quarantine.id))));
  if (held) return rawOfQuarantined(held);
  const repeated = (await first(db
    .select({ pack: duplicateDeliveries.rawPack, offset: duplicateDeliveries.rawOffset, size: duplicateDeliveries.rawSize })
    .from(duplicateDeliveries)
    .where(eq(duplicateDeliveries.rawSha256, sha256))));
  if (repeated) return { ...repeated, sha256 };
  const feedback = (await first(db
    .select({ pack: faqFeedback.rawPack, offset: faqFeedback.rawOffset, size: faqFeedback.rawSize })
    .from(faqFeedback)
    .where(eq(faqFeedback.rawSha256, sha256))));
  if (feedback?.pack && feedback.offset !== null && feedback.size !== null) return { pack: feedback.pack, offset: feedback.offset, size: feedback.size, sha256 };
  return undefined;
}

export async function findAttachment(db: Db, sha256: string): Promise<PackLocation | undefined> {
  const { attachments } = tablesOf(db);
  return first(db
    .select({ pack: attachments.pack, offset: attachments.offset, size: attachments.size, sha256: attachments.sha256 })
    .from(attachments)
    .where(eq(attachments.sha256, sha256)));
}
