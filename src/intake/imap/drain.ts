// Takes listed mails through the pipeline in this order: fetch raw → ingest (one transaction,
// idempotent) → settle on the server (move or flag) → advance the checkpoint. A crash between any
// two steps loses nothing (the mail is still above the checkpoint, or already committed) and
// doubles nothing (a mail fetched again is recognized as a duplicate and only settled). A mail the
// server would not settle holds the checkpoint below it, so the next drain tries again. The
// checkpoint moves only while this worker holds the mailbox's lease (fenceMailbox).
import { inTransaction } from '../../app.ts';
import { ingestInOrder } from '../../inbound/pipeline.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { advanceCheckpoint } from './checkpoint.ts';
import { fenceMailbox } from './mailbox-lease.ts';
import { batchesOf, fetchRaw, listMailAfter, type ListedMail } from './fetch-range.ts';
import { recordLatencies, type LatencySample } from './latency.ts';
import type { ImapSession } from './session.ts';
import { settleOnServer, type Settlement } from './settle.ts';
import { saveUnsettledUids, unsettledUids } from './unsettled.ts';

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
  return ingestListed(session, listed, { ...opts, live: true });
}

/**
 * Ingests and settles the listed mails. `live`: they are all the mail above the checkpoint, which
 * advances past each settled one, and the unsettled and latency records are kept; otherwise (backfill)
 * the checkpoint and records are left alone.
 */
export async function ingestListed(session: ImapSession, listed: ListedMail[], opts: DrainOptions & { live: boolean }): Promise<number> {
  const { app, mailbox, client, checkpoint } = session;
  const arrivedAt = new Map(listed.map((m) => [m.uid, m.arrivedAt]));
  // Unsettled mail no longer listed was settled meanwhile, or moved away by someone: nothing to do.
  const unsettled = new Set(opts.live ? (await unsettledUids(app, mailbox, checkpoint.uidValidity)).filter((uid) => arrivedAt.has(uid)) : []);
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
  let held = false; // a mail of this drain stayed unsettled: the checkpoint stays below it
  for (const [i, batch] of batches.entries()) {
    if (opts.shouldStop?.()) break;
    const fetched = await next!;
    next = prefetch(i + 1);
    const settlement: Settlement = { processed: [], failed: [] };
    const latencies: LatencySample[] = [];
    await ingestInOrder(app, fetched, {
      incoming: ({ uid, raw }) => ({ source: `imap:${mailbox.name}/${uid}`, mailbox, raw, receivedAt: app.now(), quiet: opts.quiet }),
      done: ({ uid }, result) => {
        (result.status === 'quarantined' ? settlement.failed : settlement.processed).push(uid);
        const arrived = arrivedAt.get(uid);
        if (arrived && result.status !== 'duplicate' && result.status !== 'quarantined') latencies.push({ arrivedAt: arrived, storedAt: app.now() });
        opts.onResult?.(result);
        taken += 1;
      },
    });
    const failedToSettle = await settleOnServer(session, settlement);
    if (!opts.live) continue;
    for (const { uid } of batch) unsettled.delete(uid);
    for (const uid of failedToSettle) unsettled.add(uid);
    // The batch's records and checkpoint, after the server settled its mails: one transaction.
    await inTransaction(app, async (tx) => {
      await fenceMailbox(tx, mailbox);
      await recordLatencies(tx, mailbox, latencies);
      await saveUnsettledUids(tx, mailbox, checkpoint.uidValidity, unsettled);
      if (held) return;
      const through = failedToSettle.length ? failedToSettle[0] - 1 : batch[batch.length - 1].uid;
      if (through > checkpoint.lastUid) await advanceCheckpoint(tx, mailbox, checkpoint, through);
    });
    held ||= failedToSettle.length > 0;
  }
  return taken;
}
