// Applies the committed PostgreSQL migrations on start. Processes starting together take turns.
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { newerSchemaProblem } from '../schema-version.ts';
import type pg from 'pg';
import { packageRoot } from '../../package-root.ts';
import { MIGRATION_LOCK } from './advisory-locks.ts';

// From the sources even when running compiled: the build copies no SQL.
const migrationsFolder = path.join(packageRoot, 'src/store/pg/migrations');

/**
 * drizzle's migrator reads the last applied migration before its transaction, and creates its
 * bookkeeping (schema `drizzle`, table `__drizzle_migrations`) outside it, so two processes migrating
 * a fresh database together would both create the tables and one would fail. Holding a session
 * advisory lock on the one connection that migrates makes the second wait, then find nothing to do.
 * drizzle applies all pending migrations in one transaction: all of them or none.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const newer = newerSchemaProblem(await lastAppliedMigration(client), readMigrationFiles({ migrationsFolder }));
      if (newer) throw new Error(newer);
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // A connection in doubt is closed rather than pooled: closing it also ends any lock it still holds.
    client.release(failed);
  }
}

/** When the newest migration applied was made; null on a fresh database (no bookkeeping table yet). */
async function lastAppliedMigration(client: pg.PoolClient): Promise<number | null> {
  // drizzle's own table, in schema drizzle; a query naming it fails where it does not exist yet.
  const table = await client.query<{ exists: boolean }>(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`);
  if (!table.rows[0].exists) return null;
  const last = await client.query<{ at: string | null }>('SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations');
  return last.rows[0].at === null ? null : Number(last.rows[0].at);
}
