import type { Command } from 'commander';
import { deliver } from '../deliver.ts';
import { globalOptions } from '../global-options.ts';

/**
 * `deliver` as the CLI knows it: for --help, and for a line that puts global options first. An
 * MTA's line starts with `deliver`, which bin/postdesk.js runs without loading the CLI at all.
 */
export function registerDeliverCommand(program: Command): void {
  program
    .command('deliver')
    .description('MTA pipe: write the mail on stdin into <data>/inbox/new for `postdesk run`; exit 0, or 75 (retry later)')
    .action(async (_o: unknown, cmd: Command) => {
      const global = globalOptions(cmd);
      process.exitCode = await deliver({ dataDir: global.data, configPath: global.config });
    });
}
