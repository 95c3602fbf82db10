// `postdesk poll --once`: drain a mailbox until nothing is left above the checkpoint, then return.
// A connection lost midway is retried a few times with backoff, resuming from the checkpoint.
import type { App } from '../../app.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { sleep } from '../../service/run.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { describeError } from './connection-state.ts';
import { MailboxUnusable } from './connection.ts';
import { drainNew } from './drain.ts';
import { closeSession, openSession, type ImapSession } from './session.ts';

export interface PollOnceOptions {
  onResult?: (result: IngestResult) => void;
  maxRetries?: number;
  backoff?: BackoffOptions;
}

export async function pollMailboxOnce(app: App, mailbox: MailboxRow, opts: PollOnceOptions = {}): Promise<number> {
  const backoff = new Backoff(opts.backoff);
  const maxRetries = opts.maxRetries ?? 6;
  let taken = 0;
  const onResult = (result: IngestResult) => {
    taken += 1;
    opts.onResult?.(result);
  };
  for (;;) {
    let session: ImapSession | null = null;
    try {
      session = await openSession(app, mailbox);
      // Until a drain finds nothing, or leaves the checkpoint where it was: a mail the server would
      // not settle comes back in every drain, and is for the next poll to try again.
      for (let from = -1; from !== session.checkpoint.lastUid; ) {
        from = session.checkpoint.lastUid;
        if ((await drainNew(session, { onResult })) === 0) break;
      }
      return taken;
    } catch (err) {
      if (err instanceof MailboxUnusable || backoff.attempts >= maxRetries) throw err;
      const delay = backoff.next();
      app.log.warn(`mailbox ${mailbox.name}: ${describeError(err)}; retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, new AbortController().signal);
    } finally {
      if (session) await closeSession(session);
    }
  }
}
