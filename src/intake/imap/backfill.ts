// `postdesk imap backfill`: imports the mail that was already in the folder before the first start
// (below the checkpoint), quietly: history becomes tickets without acknowledgements to anyone.
import type { SearchObject } from 'imapflow';
import type { App } from '../../app.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { ingestListed } from './drain.ts';
import { listMail } from './fetch-range.ts';
import { closeSession, openSession } from './session.ts';
import { PROCESSED_FLAGS } from './processed-flags.ts';

export interface BackfillOptions {
  onStart?: (total: number) => void;
  onResult?: (result: IngestResult) => void;
}

/** Mails that arrived at the server since `since` and lie at or below the checkpoint; returns how many were taken. */
export async function backfillMailbox(app: App, mailbox: MailboxRow, since: Date, opts: BackfillOptions = {}): Promise<number> {
  const session = await openSession(app, mailbox);
  try {
    const { lastUid } = session.checkpoint;
    // Above the checkpoint is the poller's; in flag mode, flagged mail below it is already stored.
    const query: SearchObject = { since, uid: `1:${Math.max(lastUid, 1)}` };
    if (session.imap.afterStore === 'flag') query.unKeyword = PROCESSED_FLAGS[1];
    const listed = lastUid > 0 ? (await listMail(session.client, query)).filter((m) => m.uid <= lastUid) : [];
    opts.onStart?.(listed.length);
    return await ingestListed(session, listed, { quiet: true, onResult: opts.onResult, live: false });
  } finally {
    await closeSession(session);
  }
}
