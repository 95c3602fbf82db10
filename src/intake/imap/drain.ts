// Takes listed mails through the pipeline in this order: fetch raw → ingest (one transaction,
// idempotent) → settle on the server (move or flag) → advance the checkpoint. A crash between any
// two steps loses nothing (the mail is still above the checkpoint, or already committed) and
// doubles nothing (a mail fetched again is recognized as a duplicate and only settled).
import { ingestInOrder } from '../../inbound/pipeline.ts';
import type { IngestResult } from '../../inbound/context.ts';
import { advanceCheckpoint } from './checkpoint.ts';
import { batchesOf, fetchRaw, listMailAfter, type ListedMail } from './fetch-range.ts';
import type { ImapSession } from './session.ts';
import { settleOnServer, type Settlement } from './settle.ts';

const BATCH_MAILS = 50;
const BATCH_BYTES = 16 * 1024 * 1024;

export interface DrainOptions {
  /** Backfill: store without acknowledgements or notifications. */
  quiet?: boolean;
  onResult?: (result: IngestResult) => void;
  /** Checked between batches: a batch in hand is always finished, settled and checkpointed. */
  shouldStop?: () => boolean;
}

/** Everything above the checkpoint; returns how many mails were taken. */
export async function drainNew(session: ImapSession, opts: DrainOptions = {}): Promise<number> {
  // A server reports mail that other sessions delivered at the end of a command, and FETCH sees
  // only mail already reported: the NOOP makes sure the listing includes everything there is now.
  await session.client.noop();
  const listed = await listMailAfter(session.client, session.checkpoint.lastUid);
  return ingestListed(session, listed, { ...opts, advanceCheckpoint: true });
}

export async function ingestListed(session: ImapSession, listed: ListedMail[], opts: DrainOptions & { advanceCheckpoint: boolean }): Promise<number> {
  const { app, mailbox, client, imap } = session;
  const batches = batchesOf(listed, BATCH_MAILS, BATCH_BYTES);
  // The next batch is fetched while this one is ingested, so the server's round trip overlaps our
  // work; fetching has no effect on the server, so a crash meanwhile changes nothing.
  const prefetch = (i: number) => {
    if (i >= batches.length) return null;
    const fetching = fetchRaw(client, batches[i].map((m) => m.uid));
    fetching.catch(() => {}); // awaited below; a failure must not go unhandled before that
    return fetching;
  };
  let next = prefetch(0);
  let taken = 0;
  for (const [i, batch] of batches.entries()) {
    if (opts.shouldStop?.()) break;
    const fetched = await next!;
    next = prefetch(i + 1);
    const settlement: Settlement = { processed: [], failed: [] };
    await ingestInOrder(app, fetched, {
      incoming: ({ uid, raw }) => ({ source: `imap:${mailbox.name}/${uid}`, mailbox, raw, receivedAt: app.now(), quiet: opts.quiet }),
      done: ({ uid }, result) => {
        (result.status === 'quarantined' ? settlement.failed : settlement.processed).push(uid);
        opts.onResult?.(result);
        taken += 1;
      },
    });
    await settleOnServer(client, imap, settlement);
    const highest = batch[batch.length - 1].uid;
    if (opts.advanceCheckpoint && highest > session.checkpoint.lastUid) advanceCheckpoint(app, mailbox, session.checkpoint, highest);
  }
  return taken;
}
