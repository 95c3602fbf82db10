import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import { insertRowId, prepared } from './prepared.ts';
import type { Db } from './db.ts';
import { attachments, messages, outbox } from './schema.ts';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type AttachmentRow = typeof attachments.$inferSelect;

/** Stores a message; returns its id. */
export function insertMessage(db: Db, m: NewMessage): number {
  return insertRowId(db, messages, m);
}

export function insertAttachments(db: Db, rows: (typeof attachments.$inferInsert)[]): void {
  for (const row of rows) insertRowId(db, attachments, row);
}

/** A stored message with this Message-ID or these exact raw bytes: the mail was seen before. */
export function findSameMail(db: Db, messageId: string, rawSha256: string): Pick<MessageRow, 'ticketId' | 'messageId'> | undefined {
  return prepared(db, 'sameMail', () =>
    db
      .select({ ticketId: messages.ticketId, messageId: messages.messageId })
      .from(messages)
      .where(or(eq(messages.messageId, sql.placeholder('messageId')), eq(messages.rawSha256, sql.placeholder('rawSha256'))))
      .prepare(),
  ).get({ messageId, rawSha256 });
}

/** The ticket that any of these Message-IDs belongs to: stored messages first, then mails we sent. */
export function findTicketIdByMessageIds(db: Db, ids: string[]): number | undefined {
  if (!ids.length) return undefined;
  // The ids travel as one JSON array, so one prepared statement serves any length of chain.
  const list = { ids: JSON.stringify(ids) };
  const stored = prepared(db, 'ticketOfStoredIds', () =>
    db
      .select({ ticketId: messages.ticketId })
      .from(messages)
      .where(sql`${messages.messageId} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
      .orderBy(asc(messages.id))
      .limit(1)
      .prepare(),
  ).get(list);
  if (stored) return stored.ticketId;
  const sent = prepared(db, 'ticketOfSentIds', () =>
    db
      .select({ ticketId: outbox.ticketId })
      .from(outbox)
      .where(sql`${outbox.messageId} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
      .limit(1)
      .prepare(),
  ).get(list);
  return sent?.ticketId ?? undefined;
}

export function listMessages(db: Db, ticketId: number): MessageRow[] {
  return db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(asc(messages.id)).all();
}

export function listAttachments(db: Db, messageIds: number[]): AttachmentRow[] {
  return messageIds.length ? db.select().from(attachments).where(inArray(attachments.messageId, messageIds)).all() : [];
}
