// Maildir intake: every file in new/ goes through the pipeline and then moves to cur/. A crash
// between commit and move only means the next run sees the mail again and records a duplicate.
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.ts';
import type { MailboxRow } from '../store/mailboxes.ts';
import { ingestRawMail } from '../inbound/pipeline.ts';
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
  for (const [index, name] of files.entries()) {
    if (opts.shouldStop?.()) break;
    const file = path.join(dir, 'new', name);
    let raw: Buffer;
    try {
      raw = fs.readFileSync(file);
    } catch (err) {
      // Taken by a concurrent reader; it is that reader's to process.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const result = await ingestRawMail(app, { source: file, mailbox: opts.mailbox, raw, receivedAt: app.now() });
    fs.renameSync(file, path.join(dir, 'cur', `${name.split(':')[0]}:2,S`));
    results.push(result);
    opts.onResult?.(result, index, files.length);
  }
  return results;
}
