// `postdesk poll --once`: drain a mailbox until nothing is left above the checkpoint, then return.
// A connection lost midway is retried a few times with backoff, resuming from the checkpoint.
// Like the watch loop, it drains only while holding the mailbox's lease.
import type { App } from '../../app.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { sleep } from '../../service/run.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { describeError } from './connection-state.ts';
import { MailboxUnusable } from './connection.ts';
import { drainNew } from './drain.ts';
import { LeaseLost, takeMailboxLease, type HeldLease } from './mailbox-lease.ts';
import { closeSession, openSession, type ImapSession } from './session.ts';

export interface PollOnceOptions {
  onResult?: (result: IngestResult) => void;
  maxRetries?: number;
  backoff?: BackoffOptions;
}

/** Refuses (MailboxBusy) a mailbox that another worker drains: its lease is held meanwhile. */
export async function pollMailboxOnce(app: App, mailbox: MailboxRow, opts: PollOnceOptions = {}): Promise<number> {
  const lease = await takeMailboxLease(app, mailbox);
  try {
    return await drainWhileHeld(app, mailbox, lease, opts);
  } finally {
    await lease.release();
  }
}

async function drainWhileHeld(app: App, mailbox: MailboxRow, lease: HeldLease, opts: PollOnceOptions): Promise<number> {
  const backoff = new Backoff(opts.backoff);
  const maxRetries = opts.maxRetries ?? 6;
  let taken = 0;
  const onResult = (result: IngestResult) => {
    taken += 1;
    opts.onResult?.(result);
  };
  const shouldStop = () => lease.signal.aborted;
  for (;;) {
    let session: ImapSession | null = null;
    try {
      session = await openSession(app, mailbox);
      // Until a drain finds nothing, or leaves the checkpoint where it was: a mail the server would
      // not settle comes back in every drain, and is for the next poll to try again.
      for (let from = -1; from !== session.checkpoint.lastUid && !shouldStop(); ) {
        from = session.checkpoint.lastUid;
        if ((await drainNew(session, { onResult, shouldStop })) === 0) break;
      }
      if (lease.signal.reason instanceof LeaseLost) throw lease.signal.reason;
      return taken;
    } catch (err) {
      if (err instanceof MailboxUnusable || err instanceof LeaseLost || backoff.attempts >= maxRetries) throw err;
      const delay = backoff.next();
      app.log.warn(`mailbox ${mailbox.name}: ${describeError(err)}; retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, lease.signal);
    } finally {
      if (session) await closeSession(session);
    }
  }
}
