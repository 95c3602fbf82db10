import { eq, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { mailboxes } from './schema.ts';
import { DEFAULT_MAILBOX, type Config } from '../config/schema.ts';
import { execute, first, tablesOf } from './dialect.ts';

export type MailboxRow = typeof mailboxes.$inferSelect;

/** Makes sure every configured mailbox has its row; returns them in configuration order. */
export async function syncMailboxes(db: Db, config: Pick<Config, 'mailboxes' | 'address'>): Promise<MailboxRow[]> {
  const { mailboxes } = tablesOf(db);
  const wanted = config.mailboxes.length
    ? config.mailboxes.map((m) => ({ name: m.name, address: m.address }))
    : [{ ...DEFAULT_MAILBOX, address: config.address ?? DEFAULT_MAILBOX.address }];
  const rows: MailboxRow[] = [];
  for (const { name, address } of wanted) {
    const row = await first(db.insert(mailboxes).values({ name, address }).onConflictDoUpdate({ target: mailboxes.name, set: { address } }).returning());
    rows.push(row!);
  }
  return rows;
}

/**
 * Within one UIDVALIDITY the checkpoint only rises: of two workers racing (one that lost its lease
 * and does not know yet), the one behind cannot move it back. A new UIDVALIDITY starts it afresh.
 */
export async function saveImapCheckpoint(db: Db, mailboxId: number, uidValidity: string, lastUid: number, at: Date): Promise<void> {
  const { mailboxes } = tablesOf(db);
  const raised = sql`CASE WHEN ${mailboxes.uidValidity} = ${uidValidity} AND ${mailboxes.lastUid} > ${lastUid} THEN ${mailboxes.lastUid} ELSE ${lastUid} END`;
  await execute(db.update(mailboxes).set({ uidValidity, lastUid: raised, lastSyncAt: at }).where(eq(mailboxes.id, mailboxId)));
}

export async function getMailbox(db: Db, mailboxId: number): Promise<MailboxRow | undefined> {
  const { mailboxes } = tablesOf(db);
  return first(db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId)));
}
