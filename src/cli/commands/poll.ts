import path from 'node:path';
import type { Command } from 'commander';
import { mailboxByName, type App } from '../../app.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { imapMailboxes, MailboxUnusable } from '../../intake/imap/connection.ts';
import { describeError } from '../../intake/imap/connection-state.ts';
import { LeaseLost, MailboxBusy } from '../../intake/imap/mailbox-lease.ts';
import { pollMailboxOnce } from '../../intake/imap/poll-once.ts';
import { mailIntakeLoop } from '../../intake/imap/watch-loop.ts';
import { drainMaildir } from '../../intake/maildir/drain.ts';
import { ensureMaildir } from '../../intake/maildir/folders.ts';
import { describeResult, runService } from '../../service/run.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { printJson, withApp } from '../app-context.ts';
import { say } from '../terminal-text.ts';
import { joinWorkers } from '../../workers/membership.ts';

export function registerPollCommand(program: Command): void {
  program
    .command('poll')
    .description('take mail from the IMAP mailboxes (the local Maildir when none has IMAP); --once drains and exits')
    .option('--once', 'drain what is waiting now, then exit (for cron and tests)')
    .option('--mailbox <name>', 'only this mailbox')
    .action(async (options: { once?: boolean; mailbox?: string }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const selected = options.mailbox ? [mailboxByName(app, options.mailbox)] : imapMailboxes(app);
        const report = (r: IngestResult) => (global.json ? printJson(r) : say`${describeResult(r)}\n`);
        if (!selected.length) {
          if (!options.once) return runService(app, [mailIntakeLoop(app, selected)]);
          const dir = path.join(app.config.dataDir, 'inbox');
          ensureMaildir(dir);
          await drainMaildir(app, dir, { mailbox: app.mailboxes[0], onResult: report });
          return;
        }
        // A worker among those sharing the database: a mailbox is drained by whoever holds its lease.
        const membership = await joinWorkers(app, { oneShot: options.once });
        try {
          if (!options.once) return await runService(app, [mailIntakeLoop(app, selected)]);
          // Each mailbox on its own: one that cannot be reached does not keep the others from draining.
          const failed = (await Promise.all(selected.map((mailbox) => pollOrExplain(app, mailbox, report)))).filter((ok) => !ok);
          if (failed.length) process.exitCode = 1;
        } finally {
          await membership.leave();
        }
      });
    });
}

async function pollOrExplain(app: App, mailbox: MailboxRow, onResult: (r: IngestResult) => void): Promise<boolean> {
  try {
    await pollMailboxOnce(app, mailbox, { onResult });
    return true;
  } catch (err) {
    app.log.error(err instanceof MailboxUnusable || err instanceof MailboxBusy || err instanceof LeaseLost ? err.message : `mailbox ${mailbox.name}: ${describeError(err)}`);
    return false;
  }
}
