import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { mailboxByName, type App } from '../../app.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { backfillMailbox } from '../../intake/imap/backfill.ts';
import { imapMailboxes } from '../../intake/imap/connection.ts';
import { imapStatus, type ImapStatus } from '../../intake/imap/status.ts';
import { describeResult } from '../../service/run.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { printJson, withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { isoDate } from '../arguments.ts';
import { say } from '../terminal-text.ts';

export function registerImapCommand(program: Command): void {
  const imap = program.command('imap').description('IMAP mailboxes: connection status, import of older mail');
  imap
    .command('status')
    .description('per mailbox: connected, UIDVALIDITY, last UID, mails waiting and lag, unsettled mails, latency')
    .option('--mailbox <name>', 'only this mailbox')
    .action(async (options: { mailbox?: string }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const mailboxes = options.mailbox ? [imapMailboxByName(app, options.mailbox)] : imapMailboxes(app);
        if (!mailboxes.length) throw new UsageError('imap status: no mailbox has an imap section');
        const rows = await Promise.all(mailboxes.map((m) => imapStatus(app, m)));
        if (global.json) return printJson(rows);
        for (const row of rows) say`${describeStatus(row)}\n`;
      });
    });
  imap
    .command('backfill')
    .description('import mail that was in the folder before the first start, without acknowledgements')
    .requiredOption('--mailbox <name>', 'the mailbox to import')
    .requiredOption('--since <date>', 'only mail that arrived on or after this date (YYYY-MM-DD)', isoDate)
    .action(async ({ mailbox: name, since }: { mailbox: string; since: Date }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const mailbox = imapMailboxByName(app, name);
        const showBar = !global.json && process.stderr.isTTY;
        const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'backfill [{bar}] {value}/{total} mails  {eta}s left' }, cliProgress.Presets.shades_classic);
        const report = (r: IngestResult) => (showBar ? bar.increment() : global.json ? printJson(r) : say`${describeResult(r)}\n`);
        try {
          const taken = await backfillMailbox(app, mailbox, since, { onStart: (total) => showBar && bar.start(total, 0), onResult: report });
          if (!global.json) say`backfill of ${mailbox.name}: ${taken} mail(s) imported without acknowledgements\n`;
        } finally {
          if (showBar) bar.stop();
        }
      });
    });
}

function imapMailboxByName(app: App, name: string): MailboxRow {
  const mailbox = mailboxByName(app, name);
  if (!imapMailboxes(app).includes(mailbox)) throw new UsageError(`mailbox ${name} has no imap section in the configuration`);
  return mailbox;
}

function describeStatus(s: ImapStatus): string {
  const head = `${s.mailbox} (${s.folder}): ${s.connected ? 'connected' : `not connected: ${s.error ?? 'unknown error'}`}`;
  if (s.lastUid === null) return `${head}; not started yet (the first start takes mail arriving from then on)`;
  const validity = s.serverUidValidity && s.serverUidValidity !== s.uidValidity ? `${s.uidValidity} (server now ${s.serverUidValidity}: rescan pending)` : s.uidValidity;
  const waiting = s.waiting === undefined ? '' : `, ${s.waiting} waiting, lag ${s.lagSeconds} s`;
  const unsettled = s.unsettled ? `, ${s.unsettled} stored but not yet moved/flagged on the server` : '';
  const latency = s.latency ? `, latency p50 ${s.latency.p50Seconds} s max ${s.latency.maxSeconds} s (last ${s.latency.mails})` : '';
  const idle = s.idle && !s.idle.healthy ? `, IDLE announces no new mail since ${s.idle.since} (polling every ${s.idle.pollSeconds} s; see the log of ${s.idle.worker})` : '';
  return `${head}; UIDVALIDITY ${validity}, last UID ${s.lastUid}${waiting}${unsettled}${latency}${idle}, last sync ${s.lastSyncAt ?? 'never'}`;
}
