// Entry point of the `postdesk` command: global options plus one module per verb in ./commands.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { UsageError } from './errors.ts';
import { packageRoot } from '../package-root.ts';

const { version } = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

const program = new Command('postdesk')
  .version(version, '-V, --version', 'print the version of Postdesk')
  .description('Email-first help desk: mail in, numbered tickets, agents reply by email.')
  // Global options: commander recognises program options before and after the subcommand.
  .option('--data <dir>', 'data directory (SQLite, raw mail store, attachments, quarantine)')
  .option('--config <file>', 'configuration file (default ./postdesk.config.json)')
  .option('--json', 'machine-readable output')
  .option('--now <iso>', 'pretend the current time is this ISO time (tests, replays)')
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program, process.argv.slice(2));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof UsageError) {
    process.stderr.write(`postdesk: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`postdesk: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
}
