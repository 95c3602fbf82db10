import type { Command } from 'commander';
import { localMaildirLoop, runService } from '../../service/run.ts';
import { withApp } from '../app-context.ts';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the service: mail intake and background loops, until SIGTERM/SIGINT')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, (app) => runService(app, [localMaildirLoop(app)]));
    });
}
