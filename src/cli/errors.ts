import { inspect } from 'node:util';
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
  return `${code && !err.message.includes(code) ? `${code}: ` : ''}${err.message}`.replace(/\s*\n\s*/g, ' ');
}

/**
 * What `postdesk` prints for a failed command and exits with: one line, exit 2 for the command line
 * or configuration, 1 for anything else. With debug (--debug, POSTDESK_DEBUG=1), the stack and causes.
 */
export function reportCommandError(err: unknown, debug: boolean): number {
  process.stderr.write(`postdesk: ${debug ? visibleLines(inspect(err)) : visible(oneLine(err))}\n`);
  return err instanceof UsageError ? 2 : 1;
}
