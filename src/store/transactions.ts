// Every write happens inside a transaction run here; each database implements the runner its own
// way. Why: see "One mail, one transaction" in the README.
import type { Db } from './db.ts';

export interface Transactions {
  /**
   * Runs `work` as one transaction on a connection of its own, with no other query on that
   * connection until it ends: every write of `work` is kept, or none when it throws (the promise
   * rejects with that error). `work` queries through the handle it is given; the database's other
   * handle answers from committed data only.
   */
  run<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /** Whether `db` is the handle of a transaction in progress (work given it joins that transaction). */
  holds(db: Db): boolean;
  /**
   * Runs `work` on the writing connection outside any transaction, when no transaction is running:
   * for what a database refuses inside one (SQLite's VACUUM and WAL checkpoint).
   */
  maintenance<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

/**
 * SQLite: one writing connection, so transactions take turns (SQLite allows one writer at a time
 * anyway); IMMEDIATE, so that another process's writer waits for the lock instead of failing. The
 * work may await, since no other query reaches the writing connection meanwhile; it must not wait
 * for the network, which would keep every other writer waiting.
 */
export function sqliteTransactions(writer: Db): Transactions {
  const sqlite = writer.$client;
  let turn: Promise<unknown> = Promise.resolve();
  let open = false;
  const transaction = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
    sqlite.prepare('BEGIN IMMEDIATE').run();
    open = true;
    try {
      const result = await work(writer);
      sqlite.prepare('COMMIT').run();
      return result;
    } catch (err) {
      if (sqlite.inTransaction) sqlite.prepare('ROLLBACK').run();
      throw err;
    } finally {
      open = false;
    }
  };
  const inTurn = <T>(step: () => Promise<T>): Promise<T> => {
    const result = turn.then(step);
    turn = result.catch(() => {});
    return result;
  };
  return {
    run: (work) => inTurn(() => transaction(work)),
    holds: (db) => open && db === writer,
    maintenance: (work) => inTurn(() => work(writer)),
  };
}
