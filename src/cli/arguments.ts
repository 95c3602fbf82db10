// Parsers and option builders for the command-line values with a fixed shape: whole numbers, ISO
// times and dates, fixed lists. Commander reports a value they refuse as one line naming the option
// or argument (main.ts prints it), exit 2, before any command opens the data directory.
import { InvalidArgumentError, Option } from 'commander';
import { DateTime } from 'luxon';

/**
 * A count or id from 1 up, in plain decimal digits: Number() would also take `1e3`, `0x3e8`, ` 7`
 * and `` (as 0), and parseInt `12abc`, each quietly naming something else.
 */
export function positiveInteger(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a whole number from 1 up, in decimal digits.');
  return n;
}

/** A ticket number as people write it: 1000 or #1000. */
export function ticketNumber(value: string): number {
  return positiveInteger(value.replace(/^#/, ''));
}

/**
 * A moment in ISO 8601 (`2026-12-05`, `2026-12-05T10:00`, `…Z`, `…+08:00`; without an offset in the
 * machine's zone). Date() would take `5` as May 2001 and roll `2026-02-30` into March.
 */
export function isoTime(value: string): Date {
  const time = DateTime.fromISO(value);
  if (!time.isValid) throw new InvalidArgumentError('Expected an ISO 8601 time such as 2026-12-05T10:00:00Z.');
  return time.toJSDate();
}

/** A calendar day as YYYY-MM-DD, taken as its UTC midnight (IMAP's SINCE compares days only). */
export function isoDate(value: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (!day?.isValid) throw new InvalidArgumentError('Expected a day as YYYY-MM-DD.');
  return day.toJSDate();
}

/** An option whose value must be one of choices; help and the error for any other value list them. */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices);
}
