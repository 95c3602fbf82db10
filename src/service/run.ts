// `postdesk run`: the long-running service. Each intake source and background loop is a Loop;
// SIGTERM/SIGINT ask every loop to stop after the mail in hand.
import path from 'node:path';
import fs from 'node:fs';
import type { App } from '../app.ts';
import { drainMaildir, ensureMaildir } from '../intake/maildir.ts';
import type { IngestResult } from '../inbound/context.ts';

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
      let wake: () => void = () => {};
      watcher.on('change', () => wake());
      try {
        while (!signal.aborted) {
          await drainMaildir(app, dir, { mailbox: app.mailboxes[0], shouldStop: () => signal.aborted });
          // fs.watch wakes us early; the interval is the fallback for file systems without events.
          await new Promise<void>((resolve) => {
            wake = resolve;
            void sleep(intervalMs, signal).then(resolve);
          });
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
  app.log.info(`postdesk running: ${loops.map((l) => l.name).join(', ')}`);
  await Promise.all(loops.map((loop) => loop.run(controller.signal)));
  app.log.info('stopped');
}
