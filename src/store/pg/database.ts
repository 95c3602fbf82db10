// Opens the PostgreSQL database of `database.url`: a pool of connections, the committed migrations
// applied (under an advisory lock, see migrate.ts), and transactions each on a connection of its own.
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import type { Db } from '../db.ts';
import type { Transactions } from '../transactions.ts';
import { WRITER_LOCK } from './advisory-locks.ts';
import { migratePostgres } from './migrate.ts';
import * as schema from './schema.ts';

export interface PostgresDatabase {
  read: Db;
  transactions: Transactions;
  pool: pg.Pool;
  /**
   * For the content store alone, whose puts are idempotent and may run outside a transaction (see
   * content-store.ts): its connections accept writes outside one.
   */
  contentsPool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Counts and sums arrive as int8 and numeric, which node-postgres hands over as strings (they may
 * exceed a JS number); Postdesk's never do, and SQLite answers them as numbers. Set for the process:
 * drizzle passes node-postgres's own parsers with every query, so a pool's `types` would be ignored.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

/**
 * How long a transaction may wait for its worker between statements before PostgreSQL ends the
 * session. A transaction never waits for the network (see transactions.ts), so only a stuck or
 * cut-off worker comes near it; meanwhile every other worker's writes wait.
 */
const IDLE_IN_TRANSACTION_MS = 60_000;

/**
 * The contents pool (idempotent content puts, outside the write transactions) gets up to 4 of the
 * process's connections, the transactions and reads the rest: 10 + 4 by default.
 */
export function connectionShares(maxConnections: number): { app: number; contents: number } {
  const contents = Math.min(4, Math.max(1, maxConnections - 10));
  return { app: maxConnections - contents, contents };
}

export async function openPostgres(
  target: { url: string; ssl: false | ConnectionOptions; maxConnections: number },
  onIdleError: (err: Error) => void,
  options: { halfCopied?: 'refuse' | 'open' } = {},
): Promise<PostgresDatabase> {
  const connection = { connectionString: target.url, ssl: target.ssl };
  const migrating = new pg.Pool({ ...connection, max: 1 });
  try {
    await migratePostgres(migrating);
  } finally {
    await migrating.end();
  }
  // Writes only in transactions, as on SQLite (see db.ts): outside one, a connection refuses them.
  // A transaction left open (a worker stuck, or cut off the network) ends after a while, and with it
  // the writer lock it holds (see postgresTransactions).
  const shares = connectionShares(target.maxConnections);
  const pool = new pg.Pool({
    ...connection,
    max: shares.app,
    options: `-c default_transaction_read_only=on -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
  });
  // A connection that breaks while idle in the pool (a server restart) is dropped by the pool; the
  // error would otherwise end the process.
  pool.on('error', onIdleError);
  const contentsPool = new pg.Pool({ ...connection, max: shares.contents });
  contentsPool.on('error', onIdleError);
  const close = async () => {
    await Promise.all([pool.end(), contentsPool.end()]);
  };
  try {
    if (options.halfCopied !== 'open') await refuseHalfCopied(pool);
  } catch (err) {
    await close();
    throw err;
  }
  const read = drizzle(pool, { schema }) as unknown as Db;
  return { read, transactions: postgresTransactions(pool), pool, contentsPool, close };
}

/**
 * The settings row `postdesk db copy` writes before it copies anything and removes once the copy is
 * verified: while it is there, the database holds part of an installation, and nothing may run on it.
 */
export const COPY_MARKER = 'copy_in_progress';

export interface CopyMarker {
  /** The SQLite database copied from. */
  source: string;
  startedAt: string;
}

async function refuseHalfCopied(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [COPY_MARKER]);
  if (!rows.length) return;
  const marker = JSON.parse(rows[0].value) as CopyMarker;
  throw new Error(
    `holds an unfinished \`postdesk db copy\` (from ${marker.source}, started ${marker.startedAt}); nothing runs on a half-copied database: run \`postdesk db copy --to <this database> --restart\` to copy again`,
  );
}

/**
 * Each transaction takes a connection of the pool for itself (BEGIN … COMMIT on it) and first takes
 * the writer lock, held until it ends: write transactions of every worker on this database take
 * turns, as SQLite's do. Then the pipeline's read-decide-write steps (is this customer new, was this
 * mail stored, which ticket does it thread into) see every earlier commit, without each being made
 * safe against transactions running beside it. BEGIN and the lock go in one round trip. Reads outside
 * a transaction do not wait. Each connection keeps one drizzle handle, so the statements prepared on
 * it are reused by the next transaction on it.
 */
const BEGIN_IN_TURN = `BEGIN READ WRITE; SELECT pg_advisory_xact_lock(${WRITER_LOCK})`;

function postgresTransactions(pool: pg.Pool): Transactions {
  const handles = new WeakMap<pg.PoolClient, Db>();
  const open = new Set<Db>();
  return {
    async run(work) {
      const client = await pool.connect();
      let tx = handles.get(client);
      if (!tx) handles.set(client, (tx = drizzle(client, { schema }) as unknown as Db));
      let broken: Error | undefined;
      try {
        await client.query(BEGIN_IN_TURN);
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
    // Outside a transaction (VACUUM cannot run in one), on a connection of its own allowed to write.
    async maintenance(work) {
      const client = await pool.connect();
      try {
        await client.query('SET default_transaction_read_only = off');
        return await work(drizzle(client, { schema }) as unknown as Db);
      } finally {
        await client.query('RESET default_transaction_read_only').catch(() => {});
        client.release();
      }
    },
  };
}
