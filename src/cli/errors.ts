import { inspect } from 'node:util';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { visible, visibleLines } from './terminal-text.ts';

/** A mistake in the command line or the configuration: reported as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * A mistake in the configuration (file or POSTDESK_* variables). For the commands an MTA runs it is
 * no reason to bounce the mail: once the administrator fixes it, the MTA's next try succeeds.
 */
export class ConfigError extends UsageError {}

/** The error's message on one line, with its system error code (EACCES, ENOSPC…) when the message lacks it. */
export function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return `${code && !err.message.includes(code) ? `${code}: ` : ''}${withoutQueryParameters(err)}`.replace(/\s*\n\s*/g, ' ');
}

const QUERY_SHOWN = 80;

/**
 * drizzle words a failed query as the whole statement and its parameters: customers' addresses and
 * text, hundreds of them for one INSERT of db copy. Shown instead: what the database said, and where
 * (--debug still shows everything). Wrappers quote the message, so it is replaced inside theirs.
 */
function withoutQueryParameters(err: Error): string {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (!(e instanceof DrizzleQueryError)) continue;
    const said = e.cause instanceof Error ? e.cause.message : 'the query failed';
    const where = e.query.length > QUERY_SHOWN ? `${e.query.slice(0, QUERY_SHOWN)}…` : e.query;
    return err.message.replace(e.message, `database: ${said} (in: ${where})`);
  }
  return err.message;
}

/**
 * What `postdesk` prints for a failed command and exits with: one line, exit 2 for the command line
 * or configuration, 1 for anything else. With debug (--debug, POSTDESK_DEBUG=1), the stack and causes.
 */
export function reportCommandError(err: unknown, debug: boolean): number {
  process.stderr.write(`postdesk: ${debug ? visibleLines(inspect(err)) : visible(oneLine(err))}\n`);
  return err instanceof UsageError ? 2 : 1;
}
