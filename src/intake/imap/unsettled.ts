// The mails of a mailbox that are stored but not yet settled on the server (their MOVE or STORE
// failed after retries). The checkpoint stays below the lowest of them, which is what makes a later
// drain settle them; this list only lets `imap status` count them, since on the server they look
// like mail still waiting. Kept as a setting: a handful of UIDs, rewritten once per batch.
import { inTransaction, type App } from '../../app.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { getSetting, setSetting } from '../../store/settings.ts';

interface Stored {
  uidValidity: string;
  uids: number[];
}

const key = (mailbox: MailboxRow) => `imap_unsettled:${mailbox.id}`;

/** The unsettled UIDs under this UIDVALIDITY (a changed one rescans the folder: none are left). */
export async function unsettledUids(app: App, mailbox: MailboxRow, uidValidity: string): Promise<number[]> {
  const raw = await getSetting(app.db, key(mailbox));
  const stored = raw ? (JSON.parse(raw) as Stored) : null;
  return stored?.uidValidity === uidValidity ? stored.uids : [];
}

export async function saveUnsettledUids(app: App, mailbox: MailboxRow, uidValidity: string, uids: Iterable<number>): Promise<void> {
  const stored: Stored = { uidValidity, uids: [...uids].sort((a, b) => a - b) };
  await inTransaction(app, ({ db }) => setSetting(db, key(mailbox), JSON.stringify(stored)));
}
