// The per-mailbox checkpoint: the folder's UIDVALIDITY and the highest UID whose mail is committed
// and settled on the server. It lives in the database, beside the tickets it protects.
import { inTransaction, type App } from '../../app.ts';
import { getMailbox, saveImapCheckpoint, type MailboxRow } from '../../store/mailboxes.ts';

export interface Checkpoint {
  uidValidity: string;
  lastUid: number;
}

export interface OpenedFolder {
  uidValidity: bigint;
  uidNext: number;
}

/**
 * Where reading resumes in the folder just opened. First start: only mail arriving from now on
 * (older mail is for `imap backfill`). Changed UIDVALIDITY: every UID is new, so rescan the whole
 * folder and let the pipeline's duplicate detection recognize the mails already stored.
 */
export async function resumeCheckpoint(app: App, mailbox: MailboxRow, folder: OpenedFolder): Promise<Checkpoint> {
  const stored = await getMailbox(app.db, mailbox.id);
  const uidValidity = folder.uidValidity.toString();
  if (!stored?.uidValidity || stored.lastUid === null) {
    const start = { uidValidity, lastUid: folder.uidNext - 1 };
    app.log.info(`mailbox ${mailbox.name}: first start, taking mail from UID ${folder.uidNext} on (older mail: postdesk imap backfill)`);
    return advanceCheckpoint(app, mailbox, start, start.lastUid);
  }
  if (stored.uidValidity !== uidValidity) {
    app.log.warn(`mailbox ${mailbox.name}: UIDVALIDITY changed from ${stored.uidValidity} to ${uidValidity}: rescanning the folder (stored mails are recognized as duplicates)`);
    return advanceCheckpoint(app, mailbox, { uidValidity, lastUid: 0 }, 0);
  }
  return { uidValidity, lastUid: stored.lastUid };
}

export async function advanceCheckpoint(app: App, mailbox: MailboxRow, checkpoint: Checkpoint, lastUid: number): Promise<Checkpoint> {
  await inTransaction(app, ({ db }) => saveImapCheckpoint(db, mailbox.id, checkpoint.uidValidity, lastUid, app.now()));
  checkpoint.lastUid = lastUid;
  return checkpoint;
}
