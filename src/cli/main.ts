// Entry point of the `postdesk` command: global options plus one module per verb in ./commands.
import { Command, CommanderError } from 'commander';
import { isoTime } from './arguments.ts';
import { registerCommands, verbOf } from './commands/index.ts';
import { reportCommandError, UsageError } from './errors.ts';
import { pipeFailure } from './mta-pipe.ts';
import { locateDataDir } from '../config/locate.ts';
import { postdeskVersion } from '../package-root.ts';

// Private by default: whatever this process creates, SQLite's and libraries' files too, is its owner's only.
process.umask(0o077);

const args = process.argv.slice(2);
const verb = verbOf(args);
/** An MTA runs this once per mail: its exit codes and stderr follow ./mta-pipe.ts. */
const mtaPipe = verb === 'deliver' || (verb === 'ingest' && args.includes('-'));

const program = new Command('postdesk')
  .version(postdeskVersion(), '-V, --version', 'print the version of Postdesk')
  .description('Email-first help desk: mail in, numbered tickets, agents reply by email.')
  // Global options: commander recognises program options before and after the subcommand.
  .option('--data <dir>', 'data directory (SQLite, raw mail store, attachments, quarantine)')
  .option('--config <file>', 'configuration file (default ./postdesk.config.json)')
  .option('--json', 'machine-readable output')
  .option('--now <iso>', 'pretend the current time is this ISO time (tests, replays)', isoTime)
  .option('--debug', 'on failure, print the stack trace too (or POSTDESK_DEBUG=1)')
  .addHelpText(
    'after',
    '\nDatabase: SQLite in the data directory, unless database.url in the config or POSTDESK_DATABASE_URL\nnames a PostgreSQL database (postgres://user:password@host:5432/db); see README, Storage.',
  )
  .exitOverride()
  .configureOutput({ outputError: printCommanderError });

// No top-level await: dist/ bundles this as CommonJS (see scripts/build.ts).
void run();

async function run(): Promise<void> {
  await registerCommands(program, args);
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) process.exit(0);
    if (mtaPipe) process.exit(pipeFailure(verb!, err instanceof CommanderError ? new UsageError(err.message) : err, pipeDataDir()));
    if (err instanceof CommanderError) process.exit(2);
    process.exit(reportCommandError(err, Boolean(program.opts().debug) || process.env.POSTDESK_DEBUG === '1'));
  }
}

/** Where a failed pipe logs its details, when the configuration even tells. */
function pipeDataDir(): string | null {
  const { data, config } = program.opts<{ data?: string; config?: string }>();
  try {
    return locateDataDir({ dataDir: data, configPath: config });
  } catch {
    return null;
  }
}

/**
 * Commander's own errors (unknown option, invalid argument) as one line too, with no help after
 * them. An MTA would quote them to the sender: for a mail pipe, pipeFailure says one line instead.
 */
function printCommanderError(message: string, write: (text: string) => void): void {
  if (!mtaPipe) write(`postdesk: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`);
}
