// Maildir intake: every complete mail in new/ goes through the pipeline and then moves to cur/.
// A crash between commit and move only means the next run sees the mail again and records a
// duplicate. Several readers may share one Maildir: a mail another reader took is skipped.
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../app.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { ingestInOrder } from '../../inbound/pipeline.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { MaildirArrivals, type MaildirScan } from './arrivals.ts';
import { assertMaildir, curName, takenByAnotherReader } from './folders.ts';
import { PRIVATE_DIR } from '../../store/private-data.ts';

export interface MaildirDrainOptions {
  mailbox: MailboxRow;
  onResult?: (result: IngestResult) => void;
  shouldStop?: () => boolean;
  /** Kept across passes by a watcher, so that each odd file is reported once. */
  arrivals?: MaildirArrivals;
}

/** A one-shot drain stops waiting for files that keep changing after this long without progress. */
const ONE_SHOT_PATIENCE_MS = 30_000;

/** Takes every mail in new/, waiting for those still being written (one-shot commands). */
export async function drainMaildir(app: App, dir: string, opts: MaildirDrainOptions): Promise<void> {
  const arrivals = opts.arrivals ?? new MaildirArrivals(dir, { warn: (m) => app.log.warn(m) });
  let waitedMs = 0;
  for (;;) {
    const scan = await drainMaildirOnce(app, dir, { ...opts, arrivals });
    if (opts.shouldStop?.()) return;
    if (scan.ready.length) {
      waitedMs = 0;
      continue; // look again: a mail that changed while it was ingested is back in the listing
    }
    if (scan.settlesInMs === null) return;
    if (waitedMs >= ONE_SHOT_PATIENCE_MS) {
      app.log.warn(`${scan.waiting.length} file(s) in ${path.join(dir, 'new')} are still being written; left there`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, scan.settlesInMs!));
    waitedMs += scan.settlesInMs;
  }
}

/** One pass over the mails that are complete now; tells what is still waiting. */
export async function drainMaildirOnce(app: App, dir: string, opts: MaildirDrainOptions & { arrivals: MaildirArrivals }): Promise<MaildirScan> {
  assertMaildir(dir);
  // Taken mail goes to cur/; a Maildir made by hand may have only new/ (as Dovecot does, make it).
  fs.mkdirSync(path.join(dir, 'cur'), { recursive: true, mode: PRIVATE_DIR });
  const newDir = path.join(dir, 'new');
  const scan = opts.arrivals.scan();
  await ingestInOrder(app, scan.ready, {
    shouldStop: opts.shouldStop,
    incoming: (name) => {
      const raw = readMail(path.join(newDir, name), opts.arrivals);
      return raw && { source: path.join(newDir, name), mailbox: opts.mailbox, raw, receivedAt: app.now() };
    },
    done: (name, result, incoming) => {
      moveToCur(app, dir, name, incoming.raw);
      opts.onResult?.(result);
    },
  });
  return scan;
}

/** The file's bytes; null when another reader took it, or when it is empty again (being rewritten). */
function readMail(file: string, arrivals: MaildirArrivals): Buffer | null {
  try {
    const raw = fs.readFileSync(file);
    return raw.length ? raw : null;
  } catch (err) {
    if (takenByAnotherReader(err)) return null;
    arrivals.setAside(path.basename(file), `${file} cannot be read (${(err as Error).message}); left where it is`);
    return null;
  }
}

/**
 * Moves a committed mail to cur/, but only if the file still holds the bytes that were stored: a
 * writer that paused longer than the settle time and wrote on is left in new/, to be taken again.
 */
function moveToCur(app: App, dir: string, name: string, stored: Buffer): void {
  const file = path.join(dir, 'new', name);
  try {
    if (!fs.readFileSync(file).equals(stored)) {
      app.log.warn(`${file} changed while it was ingested; it stays in new/ and is taken again`);
      return;
    }
    fs.renameSync(file, path.join(dir, 'cur', curName(name)));
  } catch (err) {
    // Gone from new/: another reader took it. Still there: the move itself failed, and the drain
    // must stop rather than take the mail again and again.
    if (!takenByAnotherReader(err) || fs.existsSync(file)) throw err;
  }
}
