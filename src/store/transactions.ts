// The seam between the pipeline and the database for "one mail is one transaction". The pipeline
// hands its commit steps to a TransactionRunner; each database implements the runner its own way.
// Why the SQLite runner never awaits: see "One mail, one transaction" in the README.
import { inTransaction, type Db } from './db.ts';

/** One step of a transaction: may return a promise only where the runner awaits it (not SQLite). */
export type TransactionStep = () => void | Promise<void>;

export interface TransactionRunner {
  /**
   * Runs the steps in order as one transaction on one connection, with no other query on that
   * connection until it ends: every step's writes are kept, or none when a step throws (the
   * promise rejects with that error). The steps are taken one at a time, so the caller may stop.
   */
  run(steps: Iterable<TransactionStep>): Promise<void>;
}

/**
 * SQLite: the process shares one connection among all its loops, so the transaction must not yield
 * to the event loop; the steps run synchronously in one IMMEDIATE transaction, and a step that
 * returns a promise is refused (and everything rolled back) before anything else can run.
 */
export function sqliteTransactions(db: Db): TransactionRunner {
  return {
    async run(steps) {
      inTransaction(db, () => {
        for (const step of steps) {
          const pending = step();
          if (isThenable(pending)) {
            pending.then(undefined, () => {}); // refused below; its own failure would be unhandled
            throw new Error('returned a promise inside a SQLite transaction (SQLite commit steps must be synchronous)');
          }
        }
      });
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
