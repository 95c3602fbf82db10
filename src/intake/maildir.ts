// Maildir intake: every file in new/ goes through the pipeline and then moves to cur/. A crash
// between commit and move only means the next run sees the mail again and records a duplicate.
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.ts';
import type { MailboxRow } from '../store/mailboxes.ts';
import { ingestInOrder } from '../inbound/pipeline.ts';
import type { IngestResult } from '../inbound/context.ts';

export function ensureMaildir(dir: string): void {
  for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
}

/** The mails waiting in new/, oldest name first (Maildir names start with the delivery time). */
export function pendingMaildirFiles(dir: string): string[] {
  const newDir = path.join(dir, 'new');
  if (!fs.existsSync(newDir)) throw new Error(`${dir} is not a Maildir (no new/ folder)`);
  return fs
    .readdirSync(newDir)
    .filter((name) => !name.startsWith('.'))
    .sort();
}

export interface MaildirDrainOptions {
  mailbox: MailboxRow;
  onResult?: (result: IngestResult, index: number, total: number) => void;
  shouldStop?: () => boolean;
}

export async function drainMaildir(app: App, dir: string, opts: MaildirDrainOptions): Promise<IngestResult[]> {
  const files = pendingMaildirFiles(dir);
  const results: IngestResult[] = [];
  await ingestInOrder(app, files.entries(), {
    shouldStop: opts.shouldStop,
    incoming: ([, name]) => {
      try {
        return { source: path.join(dir, 'new', name), mailbox: opts.mailbox, raw: fs.readFileSync(path.join(dir, 'new', name)), receivedAt: app.now() };
      } catch (err) {
        // Taken by a concurrent reader; it is that reader's to process.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    done: ([index, name], result) => {
      fs.renameSync(path.join(dir, 'new', name), path.join(dir, 'cur', `${name.split(':')[0]}:2,S`));
      results.push(result);
      opts.onResult?.(result, index, files.length);
    },
  });
  return results;
}
