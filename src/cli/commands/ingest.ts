import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { mailboxByName } from '../../app.ts';
import { ingestInOrder } from '../../inbound/pipeline.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { drainMaildir } from '../../intake/maildir/drain.ts';
import { assertMaildir, NotAMaildir } from '../../intake/maildir/folders.ts';
import { describeResult } from '../../service/run.ts';
import { withApp, printJson } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { EX_NOINPUT } from '../exit-codes.ts';
import { say } from '../terminal-text.ts';

/** A progress bar only where a person watches, and only when the batch is worth one. */
const PROGRESS_THRESHOLD = 50;

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('ingest raw mails: files, "-" for one mail on stdin (MTA pipe), or --maildir <dir>')
    .argument('[files...]', '.eml files, or - for stdin')
    .option('--maildir <dir>', 'read new/ of this Maildir, moving each mail to cur/ after commit')
    .option('--mailbox <name>', 'the mailbox the mail arrived at (default: the first one)')
    .action(async (files: string[], options: { maildir?: string; mailbox?: string }, cmd: Command) => {
      if (!options.maildir && files.length === 0) throw new UsageError('ingest: give files, - (stdin) or --maildir <dir>');
      if (options.maildir) {
        try {
          assertMaildir(options.maildir);
        } catch (err) {
          throw err instanceof NotAMaildir ? new UsageError(`ingest: ${err.message}`) : err;
        }
      }
      // Returning at all means every mail that could be read was kept (stored or quarantined). Only a
      // failure to keep a mail throws; for `ingest -` main.ts turns that into exit 75, so the MTA retries.
      await withApp(cmd, async (app, global) => {
        const mailbox = mailboxByName(app, options.mailbox);
        const report = (r: IngestResult) => (global.json ? printJson(pick(r)) : say`${describeResult(r)}\n`);
        if (options.maildir) {
          const bar = progressBar(fs.readdirSync(path.join(options.maildir, 'new')).length, global.json);
          await drainMaildir(app, options.maildir, { mailbox, onResult: (r) => (bar ? bar.increment() : report(r)) });
          bar?.stop();
          return;
        }
        const stdin = files.includes('-') ? await readStdin() : null;
        let unreadable = 0;
        await ingestInOrder(app, files, {
          incoming: (file) => ({
            source: file === '-' ? 'stdin' : file,
            mailbox,
            raw: stdin && file === '-' ? stdin : fs.readFileSync(path.resolve(file)),
            receivedAt: app.now(),
          }),
          done: (_file, result) => void report(result),
          // A file that cannot be read is reported and skipped; the batch goes on.
          unreadable: (file, err) => {
            unreadable += 1;
            const reason = readError(err);
            if (global.json) printJson({ source: file, status: 'error', reason });
            else say`error: ${file} (${reason})\n`;
          },
        });
        if (unreadable) process.exitCode = EX_NOINPUT;
      }, { decodeInline: !options.maildir && files.length === 1 });
    });
}

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a mail file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}

function pick(r: IngestResult) {
  return { source: r.source, status: r.status, ticket: r.ticket, ...(r.reason ? { reason: r.reason } : {}) };
}

function progressBar(total: number, json: boolean): cliProgress.SingleBar | null {
  if (json || !process.stderr.isTTY || total < PROGRESS_THRESHOLD) return null;
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'ingest [{bar}] {value}/{total} mails  {eta}s left' }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
