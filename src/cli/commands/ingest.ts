import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { mailboxByName } from '../../app.ts';
import { ingestInOrder } from '../../inbound/pipeline.ts';
import type { IngestResult } from '../../inbound/context.ts';
import { drainMaildir, pendingMaildirFiles } from '../../intake/maildir.ts';
import { describeResult } from '../../service/run.ts';
import { withApp, printJson } from '../app-context.ts';
import { UsageError } from '../errors.ts';

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
      // Returning at all means every mail was kept (stored or quarantined): exit 0. Only a failure to
      // keep a mail throws; for `ingest -` main.ts turns that into exit 75, so the MTA retries.
      await withApp(cmd, async (app, global) => {
        const mailbox = mailboxByName(app, options.mailbox);
        const report = (r: IngestResult) => (global.json ? printJson(pick(r)) : process.stdout.write(`${describeResult(r)}\n`));
        if (options.maildir) {
          const total = pendingMaildirFiles(options.maildir).length;
          const bar = progressBar(total, global.json);
          await drainMaildir(app, options.maildir, {
            mailbox,
            onResult: (r) => (bar ? bar.increment() : report(r)),
          });
          bar?.stop();
          return;
        }
        const stdin = files.includes('-') ? await readStdin() : null;
        await ingestInOrder(app, files, {
          incoming: (file) => ({ source: file === '-' ? 'stdin' : file, mailbox, raw: stdin && file === '-' ? stdin : fs.readFileSync(path.resolve(file)), receivedAt: app.now() }),
          done: (_file, result) => {
            report(result);
          },
        });
      }, { decodeInline: !options.maildir && files.length === 1 });
    });
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
