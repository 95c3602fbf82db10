// `postdesk imap status`: per mailbox, whether the server takes our login now, its UIDVALIDITY
// against the checkpoint, how many mails wait above the checkpoint and how long the oldest has,
// how many are stored but not settled on the server, how long the last mails took to arrive, and
// whether IDLE announces new mail (as the watching worker last found).
// Read-only: the folder is EXAMINEd, nothing is created, moved or checkpointed.
import type { App } from '../../app.ts';
import { getMailbox, type MailboxRow } from '../../store/mailboxes.ts';
import { describeError } from './connection-state.ts';
import { connectMailbox, imapConfigOf } from './connection.ts';
import { listMailAfter } from './fetch-range.ts';
import { folderPath } from './folders.ts';
import { idleVerdictOf, type IdleVerdict } from './idle-health.ts';
import { latencySummary, type LatencySummary } from './latency.ts';
import { unsettledUids } from './unsettled.ts';

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
  /** Mails waiting above the checkpoint (the whole folder when UIDVALIDITY changed), unsettled ones included. */
  waiting?: number;
  /** Mails stored whose move (or flag) the server refused: the next drain settles them. */
  unsettled: number;
  /** Server arrival (INTERNALDATE) → stored, over the last mails; null before the first. */
  latency: LatencySummary | null;
  /** Whether IDLE announces new mail, as the worker watching the mailbox last found; null before any watched it. */
  idle: IdleVerdict | null;
  /** Seconds since the oldest waiting mail arrived at the server; 0 when nothing waits. */
  lagSeconds?: number;
}

export async function imapStatus(app: App, mailbox: MailboxRow): Promise<ImapStatus> {
  const imap = imapConfigOf(app, mailbox);
  const row = await getMailbox(app.db, mailbox.id);
  const status: ImapStatus = {
    mailbox: mailbox.name,
    folder: imap.folder,
    connected: false,
    uidValidity: row?.uidValidity ?? null,
    lastUid: row?.lastUid ?? null,
    lastSyncAt: row?.lastSyncAt?.toISOString() ?? null,
    unsettled: row?.uidValidity ? (await unsettledUids(app, mailbox, row.uidValidity)).length : 0,
    latency: await latencySummary(app, mailbox),
    idle: await idleVerdictOf(app, mailbox),
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
    const arrived = waiting[0]?.arrivedAt;
    status.lagSeconds = arrived ? Math.max(0, Math.round((app.now().getTime() - arrived.getTime()) / 1000)) : 0;
    return status;
  } catch (err) {
    return { ...status, error: describeError(err) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
