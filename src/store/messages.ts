import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { insertRowId, prepared } from './prepared.ts';
import type { Db } from './db.ts';
import type { attachments, messages } from './schema.ts';
import type { PackLocation } from './pack-store.ts';
import { all, inListParameter, listParameter, tablesOf, type Tables } from './dialect.ts';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type AttachmentRow = typeof attachments.$inferSelect;

/** Stores a message; returns its id. */
export async function insertMessage(db: Db, m: NewMessage): Promise<number> {
  const { messages } = tablesOf(db);
  return insertRowId(db, messages, m);
}

export async function insertAttachments(db: Db, rows: (typeof attachments.$inferInsert)[]): Promise<void> {
  const { attachments } = tablesOf(db);
  for (const row of rows) await insertRowId(db, attachments, row);
}

export type StoredMailKey = Pick<MessageRow, 'id' | 'ticketId' | 'messageId' | 'contentHash'>;

const storedMailKey = (messages: Tables['messages']) => ({ id: messages.id, ticketId: messages.ticketId, messageId: messages.messageId, contentHash: messages.contentHash });

/** The stored message with this Message-ID. */
export async function findMessageByMessageId(db: Db, messageId: string): Promise<StoredMailKey | undefined> {
  const { messages } = tablesOf(db);
  return prepared(db, 'messageByMessageId', () =>
    db.select(storedMailKey(messages)).from(messages).where(eq(messages.messageId, sql.placeholder('messageId'))).prepare(),
  ).get({ messageId });
}

/** The stored message kept from exactly these raw bytes. */
export async function findMessageByRaw(db: Db, rawSha256: string): Promise<StoredMailKey | undefined> {
  const { messages } = tablesOf(db);
  return prepared(db, 'messageByRaw', () =>
    db.select(storedMailKey(messages)).from(messages).where(eq(messages.rawSha256, sql.placeholder('rawSha256'))).prepare(),
  ).get({ rawSha256 });
}

/** Keeps where a duplicate's own bytes are, and which stored message it repeats. */
export async function recordDuplicateDelivery(db: Db, d: { messageId: number; raw: PackLocation; source: string; mailbox: string; at: Date }): Promise<void> {
  const { duplicateDeliveries } = tablesOf(db);
  const { raw } = d;
  await insertRowId(db, duplicateDeliveries, {
    messageId: d.messageId,
    rawSha256: raw.sha256,
    rawSize: raw.size,
    rawPack: raw.pack,
    rawOffset: raw.offset,
    source: d.source,
    mailbox: d.mailbox,
    receivedAt: d.at,
  });
}

/**
 * The ticket that any of these Message-IDs belongs to: stored messages first, then mails we sent; of
 * several, the latest mail's, as a chain can run through an older ticket (a reply after its reopen
 * window opened a new one).
 */
export async function findTicketIdByMessageIds(db: Db, ids: string[]): Promise<number | undefined> {
  const { messages, outbox } = tablesOf(db);
  if (!ids.length) return undefined;
  // The ids travel as one list parameter, so one prepared statement serves any length of chain.
  const list = { ids: listParameter(db, ids) };
  const stored = await prepared(db, 'ticketOfStoredIds', () =>
    db
      .select({ ticketId: messages.ticketId })
      .from(messages)
      .where(inListParameter(db, messages.messageId, 'ids'))
      .orderBy(desc(messages.id))
      .limit(1)
      .prepare(),
  ).get(list);
  if (stored) return stored.ticketId;
  const sent = await prepared(db, 'ticketOfSentIds', () =>
    db
      .select({ ticketId: outbox.ticketId })
      .from(outbox)
      .where(inListParameter(db, outbox.messageId, 'ids'))
      .orderBy(desc(outbox.id))
      .limit(1)
      .prepare(),
  ).get(list);
  return sent?.ticketId ?? undefined;
}

export async function listMessages(db: Db, ticketId: number): Promise<MessageRow[]> {
  const { messages } = tablesOf(db);
  return all(db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.id)));
}

export async function listAttachments(db: Db, messageIds: number[]): Promise<AttachmentRow[]> {
  const { attachments } = tablesOf(db);
  return messageIds.length ? (await all(db.select().from(attachments).where(inArray(attachments.messageId, messageIds)))) : [];
}
