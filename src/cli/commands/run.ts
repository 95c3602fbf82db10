import type { Command } from 'commander';
import { mailIntakeLoop } from '../../intake/imap/watch-loop.ts';
import { runService } from '../../service/run.ts';
import { slaLoop } from '../../sla/loop.ts';
import { weeklyReportLoop } from '../../reports/weekly-mail.ts';
import { senderLoop } from '../../outbound/sender.ts';
import { withApp } from '../app-context.ts';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the service: mail intake and background loops, until SIGTERM/SIGINT')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, (app) => runService(app, [slaLoop(app), weeklyReportLoop(app), mailIntakeLoop(app), senderLoop(app)]));
    });
}
