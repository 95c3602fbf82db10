// A connected session of one mailbox: logged in, settle folders present, the watched folder
// selected and the checkpoint resumed. Every IMAP intake path (watch loop, poll --once, backfill)
// starts from one.
import type { ImapFlow } from 'imapflow';
import type { App } from '../../app.ts';
import type { ImapConfig } from '../../config/schema.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { resumeCheckpoint, type Checkpoint } from './checkpoint.ts';
import { connectMailbox, imapConfigOf } from './connection.ts';
import { ensureSettleFolders, folderPath, type SettleFolders } from './folders.ts';
import { unkeptKeywordWarning } from './processed-flags.ts';

export interface ImapSession {
  app: App;
  mailbox: MailboxRow;
  imap: ImapConfig;
  client: ImapFlow;
  /** The settle folders' paths on this server. */
  folders: SettleFolders;
  checkpoint: Checkpoint;
}

export async function openSession(app: App, mailbox: MailboxRow): Promise<ImapSession> {
  const imap = imapConfigOf(app, mailbox);
  const client = await connectMailbox(mailbox, imap);
  try {
    const folders = await ensureSettleFolders(client, imap);
    const session: ImapSession = { app, mailbox, imap, client, folders, checkpoint: { uidValidity: '', lastUid: 0 } };
    await selectWatchedFolder(session);
    return session;
  } catch (err) {
    client.close();
    throw err;
  }
}

/** (Re)selects the watched folder; a fresh SELECT is what reveals a changed UIDVALIDITY. */
export async function selectWatchedFolder(session: ImapSession): Promise<void> {
  const path = folderPath(session.imap.folder);
  const folder = await session.client.mailboxOpen(path);
  if (session.imap.afterStore === 'flag') {
    const warning = unkeptKeywordWarning(session.mailbox.name, session.imap.folder, folder.permanentFlags);
    if (warning) session.app.log.warn(warning);
  }
  // Courier sends no UIDNEXT with SELECT (RFC 3501 requires it, RFC 9051 no longer); STATUS gives it.
  const uidNext = folder.uidNext ?? (await session.client.status(path, { uidNext: true })).uidNext;
  if (uidNext === undefined) throw new Error(`the server tells no UIDNEXT for ${path}, neither on SELECT nor by STATUS`);
  session.checkpoint = await resumeCheckpoint(session.app, session.mailbox, { uidValidity: folder.uidValidity, uidNext });
}

export async function closeSession(session: ImapSession): Promise<void> {
  try {
    await session.client.logout();
  } catch {
    // The connection is already gone; nothing is left to tell the server.
    session.client.close();
  }
}
