// The transactional outbox: rows are written with the change that causes the mail; the senders of
// all workers claim due rows one at a time, deliver them and record the outcome.
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import type { outbox } from './schema.ts';
import { execute, first, all, isPostgres, tablesOf, type Tables } from './dialect.ts';
import { workerGone } from './workers.ts';

export type OutboxRow = typeof outbox.$inferSelect;
/** A mail to queue; status, attempts and the delivery outcome start at their defaults. */
export type NewOutboxRow = Required<Pick<typeof outbox.$inferInsert, 'ticketId' | 'kind' | 'messageId' | 'recipient' | 'mail' | 'nextAttemptAt' | 'createdAt'>>;

/**
 * Queues a mail; returns the new row's id. Prepared once, and returning only the id: reading the row back
 * (its JSON mail) cost as much as the insert, and callers know what they wrote.
 */
export async function insertOutbox(db: Db, row: NewOutboxRow): Promise<number> {
  const { outbox } = tablesOf(db);
  const insert = prepared(db, 'insertOutbox', () =>
    db
      .insert(outbox)
      .values({
        ticketId: sql.placeholder('ticketId'),
        kind: sql.placeholder('kind'),
        messageId: sql.placeholder('messageId'),
        recipient: sql.placeholder('recipient'),
        recipientDomain: sql.placeholder('recipientDomain'),
        // Placeholders in insert values are encoded by their columns: the mail as JSON, times as milliseconds.
        mail: sql.placeholder('mail'),
        nextAttemptAt: sql.placeholder('nextAttemptAt'),
        createdAt: sql.placeholder('createdAt'),
      })
      .returning({ id: outbox.id })
      .prepare(),
  );
  const inserted = await insert.get({ ...row, recipientDomain: row.recipient.slice(row.recipient.lastIndexOf('@') + 1) });
  return inserted!.id;
}

/**
 * Claims the next mail to send for this worker, in one statement: the first queued row that is due,
 * or whose claim belongs to a worker that is dead or stopped (taken over at once, not after the
 * lease). The claim pushes its next attempt to `leaseUntil` and counts the attempt; returns the row
 * as claimed, or undefined when nothing is to send. PostgreSQL skips rows that another worker's claim
 * has locked (SKIP LOCKED) instead of waiting for them; SQLite has one writer at a time anyway.
 */
export async function claimNextOutbox(db: Db, workerId: string, now: Date, leaseUntil: Date): Promise<OutboxRow | undefined> {
  const { outbox } = tablesOf(db);
  const firstId = (condition: SQL | undefined, ...order: SQLiteColumn[]) =>
    sql`(SELECT ${outbox.id} FROM ${outbox} WHERE ${condition} ORDER BY ${sql.join(order, sql`, `)} LIMIT 1${isPostgres(db) ? sql` FOR UPDATE SKIP LOCKED` : sql``})`;
  // Two lookups, each through its own index (one condition with OR made both databases walk every
  // queued row, a few ms per empty poll with thousands waiting for a retry): due rows through
  // outbox_due, and only when there is none, the claims in flight through outbox_claimed (oldest
  // mail first; ordered by time, SQLite would walk outbox_due instead). Due rows come first either
  // way: a claim still in its lease is due only later.
  const due = firstId(and(eq(outbox.status, 'queued'), lte(outbox.nextAttemptAt, now)), outbox.nextAttemptAt, outbox.id);
  const abandoned = firstId(and(eq(outbox.status, 'queued'), isNotNull(outbox.claimedBy), workerGone(db, outbox.claimedBy, now)), outbox.id);
  return first(db
    .update(outbox)
    .set({ claimedBy: workerId, nextAttemptAt: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(sql`${outbox.id} = COALESCE(${due}, ${abandoned})`)
    .returning());
}

export async function markOutboxSent(db: Db, id: number, at: Date): Promise<void> {
  const { outbox } = tablesOf(db);
  await execute(db.update(outbox).set({ status: 'sent', sentAt: at, lastError: null, claimedBy: null }).where(eq(outbox.id, id)));
}

export async function scheduleOutboxRetry(db: Db, id: number, nextAttemptAt: Date, error: string): Promise<void> {
  const { outbox } = tablesOf(db);
  await execute(db.update(outbox).set({ nextAttemptAt, lastError: error, claimedBy: null }).where(eq(outbox.id, id)));
}

export async function markOutboxFailed(db: Db, id: number, error: string): Promise<void> {
  const { outbox } = tablesOf(db);
  await execute(db.update(outbox).set({ status: 'failed', lastError: error, claimedBy: null }).where(eq(outbox.id, id)));
}

/** How many mails of these kinds went (or will go) to a recipient since a time: the loop guard's rate limit. */
export async function countRecentOutbox(db: Db, recipient: string, kinds: string[], since: Date): Promise<number> {
  const { outbox } = tablesOf(db);
  // Prepared once per set of kinds (callers pass a fixed list): runs for every mail the loop guard sees.
  // `since` is a Date: a placeholder in a condition is encoded by the column only when wrapped in a param.
  const row = await prepared(db, `countRecentOutbox ${kinds}`, () =>
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.recipient, sql.placeholder('recipient')),
          inArray(outbox.kind, kinds),
          gte(outbox.createdAt, sql.param(sql.placeholder('since'), outbox.createdAt)),
        ),
      )
      .prepare(),
  ).get({ recipient, since });
  return row?.n ?? 0;
}

/**
 * How many mails of these kinds went (or will go) to an address or its `+tag` variants since a time:
 * `local@domain` and `local+anything@domain` (recipients are stored lower-case). Both through the
 * recipient index: the exact address, and the range of strings that start with `local+`.
 */
export async function countRecentToAddress(db: Db, local: string, domain: string, kinds: string[], since: Date): Promise<number> {
  const { outbox } = tablesOf(db);
  const row = await prepared(db, `countRecentToAddress ${kinds}`, () =>
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          or(
            eq(outbox.recipient, sql.placeholder('exact')),
            and(taggedRecipient(db, outbox), eq(outbox.recipientDomain, sql.placeholder('domain'))),
          ),
          inArray(outbox.kind, kinds),
          gte(outbox.createdAt, sql.param(sql.placeholder('since'), outbox.createdAt)),
        ),
      )
      .prepare(),
  ).get({ exact: `${local}@${domain}`, tagged: `${local}+`, taggedEnd: `${local},`, domain, since });
  return row?.n ?? 0;
}

/**
 * The recipient starts with the placeholder `tagged`. SQLite: as the range [tagged, taggedEnd) in
 * code-point order, which its recipient index serves. PostgreSQL orders text by the database's
 * collation, where `+` and `,` may not sort next to each other, so it asks for the prefix itself
 * (found through the domain's index).
 */
function taggedRecipient(db: Db, outbox: Tables['outbox']): SQL | undefined {
  return isPostgres(db)
    ? sql`starts_with(${outbox.recipient}, ${sql.placeholder('tagged')})`
    : and(gte(outbox.recipient, sql.placeholder('tagged')), lt(outbox.recipient, sql.placeholder('taggedEnd')));
}

/** How many mails of these kinds went (or will go) to addresses at a domain since a time. */
export async function countRecentToDomain(db: Db, domain: string, kinds: string[], since: Date): Promise<number> {
  const { outbox } = tablesOf(db);
  const row = await prepared(db, `countRecentToDomain ${kinds}`, () =>
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.recipientDomain, sql.placeholder('domain')),
          inArray(outbox.kind, kinds),
          gte(outbox.createdAt, sql.param(sql.placeholder('since'), outbox.createdAt)),
        ),
      )
      .prepare(),
  ).get({ domain, since });
  return row?.n ?? 0;
}

/** Keeps a queued mail back: the sender does not deliver it (a notification waiting for its digest). */
export async function holdOutbox(db: Db, id: number): Promise<void> {
  const { outbox } = tablesOf(db);
  await execute(db.update(outbox).set({ status: 'held' }).where(and(eq(outbox.id, id), eq(outbox.status, 'queued'))));
}

/** The held mails, oldest first. */
export async function heldOutbox(db: Db): Promise<OutboxRow[]> {
  const { outbox } = tablesOf(db);
  return all(db.select().from(outbox).where(eq(outbox.status, 'held')).orderBy(asc(outbox.id)));
}

/** Marks held mails as listed in a digest; returns how many were still held (another process may have been faster). */
export async function markOutboxDigested(db: Db, ids: number[]): Promise<number> {
  const { outbox } = tablesOf(db);
  return (await execute(db
    .update(outbox)
    .set({ status: 'digested' })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'held')))));
}

/** Message-IDs of earlier mails of a kind on a ticket to a recipient, oldest first (agent notification threads). */
export async function outboxMessageIds(db: Db, ticketId: number, recipient: string, kinds: string[]): Promise<string[]> {
  const { outbox } = tablesOf(db);
  // Prepared once per set of kinds (callers pass a fixed list): runs for every agent notification.
  const rows = await prepared(db, `outboxMessageIds ${kinds}`, () =>
    db
      .select({ messageId: outbox.messageId })
      .from(outbox)
      .where(and(eq(outbox.ticketId, sql.placeholder('ticketId')), eq(outbox.recipient, sql.placeholder('recipient')), inArray(outbox.kind, kinds)))
      .orderBy(asc(outbox.id))
      .prepare(),
  ).all({ ticketId, recipient });
  return rows.map((r) => r.messageId);
}

export async function findOutboxByMessageIds(db: Db, ids: string[]): Promise<OutboxRow | undefined> {
  const { outbox } = tablesOf(db);
  if (!ids.length) return undefined;
  return first(db.select().from(outbox).where(inArray(outbox.messageId, ids)).orderBy(desc(outbox.id)));
}

export async function listOutbox(db: Db, filter: { ticketId?: number; status?: OutboxRow['status'] } = {}): Promise<OutboxRow[]> {
  const { outbox } = tablesOf(db);
  const conditions = [
    filter.ticketId !== undefined ? eq(outbox.ticketId, filter.ticketId) : undefined,
    filter.status ? eq(outbox.status, filter.status) : undefined,
  ].filter((c) => c !== undefined);
  return all(db
    .select()
    .from(outbox)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(outbox.id)));
}
