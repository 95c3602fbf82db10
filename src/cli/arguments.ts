// Parsers and option builders for the command-line values with a fixed shape: whole numbers and
// fixed lists. Commander reports a value they refuse as one line naming the option or argument
// (main.ts prints it), exit 2, before any command opens the data directory.
import { InvalidArgumentError, Option } from 'commander';

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

/** An option whose value must be one of choices; help and the error for any other value list them. */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices);
}
