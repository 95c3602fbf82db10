// The commands an MTA runs once per mail (`deliver`, `ingest -`) answer in its terms (sysexits.h):
// 0 the mail is kept (stored, quarantined or a duplicate); 75 EX_TEMPFAIL it is not, for now: the
// MTA keeps it queued and tries again (Postfix for 75, exim for its temp_errors, 73 and 75 by
// default); 64 EX_USAGE only for a wrong command line. Any other failure is 75 too: a full disk,
// a busy or read-only database, an unwritable data directory, a broken configuration and even a bug
// all pass once someone acts, and meanwhile the mail waits in the MTA's queue instead of bouncing.
// MTAs quote a failed command's output to the sender (in the bounce, or the delay notice), so
// stderr gets one generic line and the details go to the data directory's log file.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError, oneLine } from './errors.ts';
import { EX_TEMPFAIL, EX_USAGE } from './exit-codes.ts';
import { PRIVATE_FILE } from '../store/private-data.ts';

/** In the data directory: why mail pipes failed, one line each, for the administrator. */
export const PIPE_LOG = 'mta-pipe.log';

/**
 * Reports a pipe's failure and returns its exit code. The details go to the log in dataDir (when it
 * is known and writable: the usual failure, an unwritable data directory, leaves no log, and the
 * MTA's own log has the exit code) and, for a person running the command in a terminal, to stderr.
 */
export function pipeFailure(command: string, err: unknown, dataDir: string | null): number {
  const usage = err instanceof UsageError && !(err instanceof ConfigError);
  const detail = oneLine(err);
  if (dataDir !== null) appendPipeLog(dataDir, `${command}: ${usage ? 'usage' : 'not kept, exit 75'}: ${detail}`);
  if (process.stderr.isTTY) process.stderr.write(`postdesk: ${detail}\n`);
  else process.stderr.write(usage ? 'postdesk: wrong command line for the mail pipe\n' : 'postdesk: temporary local problem, mail not accepted yet\n');
  return usage ? EX_USAGE : EX_TEMPFAIL;
}

/** Appends one line; a log that cannot be written is skipped, as it would be reported nowhere. */
export function appendPipeLog(dataDir: string, line: string): void {
  try {
    fs.appendFileSync(path.join(dataDir, PIPE_LOG), `${new Date().toISOString()} [${process.pid}] ${line}\n`, { mode: PRIVATE_FILE });
  } catch {
    // nowhere left to say it
  }
}
