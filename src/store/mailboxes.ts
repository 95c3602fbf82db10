import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { mailboxes } from './schema.ts';
import { DEFAULT_MAILBOX, type Config } from '../config/schema.ts';

export type MailboxRow = typeof mailboxes.$inferSelect;

/** Makes sure every configured mailbox has its row; returns them in configuration order. */
export async function syncMailboxes(db: Db, config: Pick<Config, 'mailboxes' | 'address'>): Promise<MailboxRow[]> {
  const wanted = config.mailboxes.length
    ? config.mailboxes.map((m) => ({ name: m.name, address: m.address }))
    : [{ ...DEFAULT_MAILBOX, address: config.address ?? DEFAULT_MAILBOX.address }];
  return wanted.map(({ name, address }) => {
    const row = db
      .insert(mailboxes)
      .values({ name, address })
      .onConflictDoUpdate({ target: mailboxes.name, set: { address } })
      .returning()
      .get();
    return row;
  });
}

export async function saveImapCheckpoint(db: Db, mailboxId: number, uidValidity: string, lastUid: number, at: Date): Promise<void> {
  db.update(mailboxes).set({ uidValidity, lastUid, lastSyncAt: at }).where(eq(mailboxes.id, mailboxId)).run();
}

export async function getMailbox(db: Db, mailboxId: number): Promise<MailboxRow | undefined> {
  return db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId)).get();
}
