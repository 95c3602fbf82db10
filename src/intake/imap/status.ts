// `postdesk imap status`: per mailbox, whether the server takes our login now, its UIDVALIDITY
// against the checkpoint, how many mails wait above the checkpoint and how long the oldest has.
// Read-only: the folder is EXAMINEd, nothing is created, moved or checkpointed.
import type { App } from '../../app.ts';
import { getMailbox, type MailboxRow } from '../../store/mailboxes.ts';
import { describeError } from './connection-state.ts';
import { connectMailbox, imapConfigOf } from './connection.ts';
import { listMailAfter } from './fetch-range.ts';
import { folderPath } from './folders.ts';

export interface ImapStatus {
  mailbox: string;
  folder: string;
  connected: boolean;
  error?: string;
  /** The checkpoint, as stored. */
  uidValidity: string | null;
  lastUid: number | null;
  lastSyncAt: string | null;
  /** The server's UIDVALIDITY of the folder now; differs from the checkpoint until the next rescan. */
  serverUidValidity?: string;
  /** Mails waiting above the checkpoint (the whole folder when UIDVALIDITY changed). */
  waiting?: number;
  /** Seconds since the oldest waiting mail arrived at the server; 0 when nothing waits. */
  lagSeconds?: number;
}

export async function imapStatus(app: App, mailbox: MailboxRow): Promise<ImapStatus> {
  const imap = imapConfigOf(app, mailbox);
  const row = getMailbox(app.db, mailbox.id);
  const status: ImapStatus = {
    mailbox: mailbox.name,
    folder: imap.folder,
    connected: false,
    uidValidity: row?.uidValidity ?? null,
    lastUid: row?.lastUid ?? null,
    lastSyncAt: row?.lastSyncAt?.toISOString() ?? null,
  };
  let client;
  try {
    client = await connectMailbox(mailbox, imap);
  } catch (err) {
    return { ...status, error: describeError(err) };
  }
  try {
    const folder = await client.mailboxOpen(folderPath(imap.folder), { readOnly: true });
    status.connected = true;
    status.serverUidValidity = folder.uidValidity.toString();
    if (status.lastUid === null) return status;
    const rescan = status.uidValidity !== status.serverUidValidity;
    const waiting = await listMailAfter(client, rescan ? 0 : status.lastUid);
    status.waiting = waiting.length;
    status.lagSeconds = 0;
    if (waiting.length) {
      const oldest = await client.fetchOne(String(waiting[0].uid), { internalDate: true }, { uid: true });
      const arrived = oldest ? new Date(oldest.internalDate as Date | string) : null;
      if (arrived) status.lagSeconds = Math.max(0, Math.round((app.now().getTime() - arrived.getTime()) / 1000));
    }
    return status;
  } catch (err) {
    return { ...status, error: describeError(err) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
