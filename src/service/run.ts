// `postdesk run`: the long-running service. Each intake source and background loop is a Loop;
// SIGTERM/SIGINT ask every loop to stop after the mail in hand.
import path from 'node:path';
import fs from 'node:fs';
import type { App } from '../app.ts';
import { SQLITE_FILE } from '../store/db.ts';
import { drainMaildirOnce } from '../intake/maildir/drain.ts';
import { ensureMaildir } from '../intake/maildir/folders.ts';
import { MaildirArrivals } from '../intake/maildir/arrivals.ts';
import { Wakeup } from './wakeup.ts';
import type { IngestResult } from '../inbound/ingest-result.ts';

export interface Loop {
  name: string;
  /** Runs until signal aborts; resolves when the work in hand is finished. */
  run(signal: AbortSignal): Promise<void>;
}

export function describeResult(r: IngestResult): string {
  const ticket = r.ticket === null ? '' : ` #${r.ticket}`;
  return `${r.status}${ticket}: ${r.source}${r.reason ? ` (${r.reason})` : ''}`;
}

/** Resolves after ms, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Watches the embedded default Maildir (data/inbox) — the intake when no mailbox has IMAP. */
export function localMaildirLoop(app: App, intervalMs = 1000): Loop {
  const dir = path.join(app.config.dataDir, 'inbox');
  return {
    name: `maildir ${dir}`,
    async run(signal) {
      ensureMaildir(dir);
      app.log.info(`watching ${path.join(dir, 'new')} for mail`);
      const watcher = fs.watch(path.join(dir, 'new'));
      const wakeup = new Wakeup();
      watcher.on('change', () => wakeup.wake());
      const arrivals = new MaildirArrivals(dir, { warn: (m) => app.log.warn(m) });
      try {
        while (!signal.aborted) {
          const scan = await drainMaildirOnce(app, dir, { mailbox: app.mailboxes[0], shouldStop: () => signal.aborted, arrivals });
          // fs.watch wakes us early; the interval is the fallback for file systems without events.
          // A file still being written is looked at again when it will have settled.
          if (!scan.ready.length) await wakeup.wait(Math.min(intervalMs, scan.settlesInMs ?? intervalMs), signal);
        }
      } finally {
        watcher.close();
      }
    },
  };
}

export async function runService(app: App, loops: Loop[]): Promise<void> {
  const controller = new AbortController();
  const stop = (sig: string) => {
    if (controller.signal.aborted) return;
    app.log.info(`${sig} received: finishing the work in hand`);
    controller.abort();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  app.events.on('ingested', (r) => app.log.info(describeResult(r)));
  const database = app.config.database.kind === 'postgres' ? app.config.database.label : path.join(app.config.dataDir, SQLITE_FILE);
  app.log.info(`postdesk running on ${database} as worker ${app.worker.id}: ${loops.map((l) => l.name).join(', ')}`);
  await Promise.all(loops.map((loop) => loop.run(controller.signal)));
  app.log.info('stopped');
}
