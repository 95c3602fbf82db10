// How a filter fails: the mail goes to quarantine with a reason, or the pipeline's order is wrong.
// Both sides use these: the decode filters (no App, may run in a worker) and the pipeline's filters.
import type { PackLocation } from '../store/pack-store.ts';

/** Thrown by a filter when the mail cannot be processed: it goes to quarantine with this reason. */
export class QuarantineMail extends Error {
  constructor(
    message: string,
    /** Where keep-raw put the mail already, when it got that far: quarantine points there. */
    readonly rawLocation?: PackLocation,
  ) {
    super(message);
  }
}

export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`pipeline order: ${what} is not set yet`);
  return value;
}
