import type { Command } from 'commander';
import { imapIntakeLoop } from '../../intake/imap/watch-loop.ts';
import { imapMailboxes } from '../../intake/imap/connection.ts';
import { localMaildirLoop, runService, type Loop } from '../../service/run.ts';
import { slaLoop } from '../../sla/loop.ts';
import { followUpLoop } from '../../follow-up/loop.ts';
import { weeklyReportLoop } from '../../reports/weekly-mail.ts';
import { senderLoop } from '../../outbound/sender.ts';
import { withApp } from '../app-context.ts';
import { joinWorkers } from '../../workers/membership.ts';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the service: mail intake and background loops, until SIGTERM/SIGINT')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app) => {
        // data/inbox is watched also next to IMAP mailboxes: `postdesk deliver` (MTA pipes) writes there.
        const imap = imapMailboxes(app);
        const intake: Loop[] = [localMaildirLoop(app), ...(imap.length ? [imapIntakeLoop(app, imap)] : [])];
        const membership = await joinWorkers(app);
        try {
          await runService(app, [slaLoop(app), followUpLoop(app), weeklyReportLoop(app), ...intake, senderLoop(app)]);
        } finally {
          await membership.leave();
        }
      });
    });
}
