// Opens the PostgreSQL database of `database.url`: a pool of connections, the committed migrations
// applied (under an advisory lock, see migrate.ts), and transactions each on a connection of its own.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import type { Db } from '../db.ts';
import type { Transactions } from '../transactions.ts';
import { migratePostgres } from './migrate.ts';
import * as schema from './schema.ts';

export interface PostgresDatabase {
  read: Db;
  transactions: Transactions;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Counts and sums arrive as int8 and numeric, which node-postgres hands over as strings (they may
 * exceed a JS number); Postdesk's never do, and SQLite answers them as numbers.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export async function openPostgres(target: { url: string; ssl: false | ConnectionOptions }, onIdleError: (err: Error) => void): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: target.url, ssl: target.ssl, types, max: 10 });
  // A connection that breaks while idle in the pool (a server restart) is dropped by the pool; the
  // error would otherwise end the process.
  pool.on('error', onIdleError);
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const read = drizzle(pool, { schema }) as unknown as Db;
  return { read, transactions: postgresTransactions(pool, read), pool, close: () => pool.end() };
}

/**
 * Each transaction takes a connection of the pool for itself (BEGIN … COMMIT on it), so transactions
 * run side by side and PostgreSQL keeps them apart. Each connection keeps one drizzle handle, so the
 * statements prepared on it are reused by the next transaction on it.
 */
function postgresTransactions(pool: pg.Pool, outside: Db): Transactions {
  const handles = new WeakMap<pg.PoolClient, Db>();
  const open = new Set<Db>();
  return {
    async run(work) {
      const client = await pool.connect();
      let tx = handles.get(client);
      if (!tx) handles.set(client, (tx = drizzle(client, { schema }) as unknown as Db));
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        open.add(tx);
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
        throw err;
      } finally {
        open.delete(tx);
        // A connection whose rollback failed is in doubt: closed, not pooled.
        client.release(broken);
      }
    },
    holds: (db) => open.has(db),
    // PostgreSQL needs no turn for what runs outside a transaction: any pooled connection serves.
    maintenance: (work) => work(outside),
  };
}
