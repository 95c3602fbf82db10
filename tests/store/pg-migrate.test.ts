// Migrating PostgreSQL on a real server: a fresh database gets every table, a second start changes
// nothing, processes starting together take turns under the advisory lock, the ticket number
// sequence only grows, and rows come back with the JS values SQLite gives.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { asc, getTableName, is } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.ts';
import { migratePostgres } from '../../src/store/pg/migrate.ts';
import * as pgSchema from '../../src/store/pg/schema.ts';
import * as sqliteSchema from '../../src/store/schema.ts';
import { describeWithPostgres, postgresForSuite } from '../harness/postgres.ts';
import { tempDir } from '../helpers/test-app.ts';

const migrations = readMigrationFiles({ migrationsFolder: path.join(packageRoot, 'src/store/pg/migrations') });
const pgTables = () => Object.values(pgSchema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));
const tableNames = pgTables()
  .map((table) => getTableName(table))
  .sort();

describeWithPostgres('migrating PostgreSQL', () => {
  const cluster = postgresForSuite();

  it('creates every table on a fresh database; a second run finds nothing to do', async () => {
    await withPool(await cluster().createDatabase(), async (pool) => {
      await migratePostgres(pool);
      expect(await publicTables(pool)).toEqual(tableNames);
      // The committed migrations are those of the schema as it is now (run db:generate:pg after a change).
      expect(await columnsInDatabase(pool)).toEqual(columnsInSchema());
      expect(await indexesInDatabase(pool)).toEqual(indexesInSchema());
      const applied = await bookkeeping(pool);
      expect(applied.map((row) => row.hash)).toEqual(migrations.map((m) => m.hash));

      await pool.query(`INSERT INTO settings (key, value) VALUES ('kept', 'yes')`);
      await migratePostgres(pool);
      expect(await bookkeeping(pool)).toEqual(applied);
      expect((await pool.query('SELECT value FROM settings')).rows).toEqual([{ value: 'yes' }]);
    });
  });

  it('refuses a database a newer Postdesk migrated, before touching it', async () => {
    await withPool(await cluster().createDatabase(), async (pool) => {
      await migratePostgres(pool);
      await pool.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', ['a-newer-schema', Date.parse('2027-12-01T00:00:00Z')]);
      const before = await bookkeeping(pool);
      await expect(migratePostgres(pool)).rejects.toThrow(
        /^migrated by a newer Postdesk \(its schema is of 2027-12-01, this Postdesk knows it up to \d{4}-\d{2}-\d{2}\); run that newer version, or restore a backup made by this one$/,
      );
      expect(await bookkeeping(pool)).toEqual(before);
    });
  });

  it('six processes migrating one fresh database at once all succeed, and each migration is applied once', async () => {
    const url = await cluster().createDatabase();
    const dir = tempDir();
    const gun = path.join(dir, 'go');
    const migrators = Array.from({ length: 6 }, () => startMigrator(url, gun));
    await Promise.all(migrators.map((m) => m.ready));
    fs.writeFileSync(gun, '');
    const results = await Promise.all(migrators.map((m) => m.done));
    expect(results).toEqual(results.map(() => ({ code: 0, stderr: '' })));
    await withPool(url, async (pool) => {
      expect(await publicTables(pool)).toEqual(tableNames);
      expect((await bookkeeping(pool)).map((row) => row.hash)).toEqual(migrations.map((m) => m.hash));
    });
  });

  it('ticket numbers from the sequence only grow, across connections and past a rolled-back transaction', async () => {
    await withPool(await cluster().createDatabase(), async (pool) => {
      await migratePostgres(pool);
      const next = async (client: pg.ClientBase | pg.Pool) => Number((await client.query(`SELECT nextval('ticket_numbers') AS n`)).rows[0].n);
      const first = await next(pool);
      const rolledBack = await pool.connect();
      let lost: number;
      try {
        await rolledBack.query('BEGIN');
        lost = await next(rolledBack);
        await rolledBack.query('ROLLBACK');
      } finally {
        rolledBack.release();
      }
      const after = await Promise.all([next(pool), next(pool), next(pool)]);
      expect(lost).toBeGreaterThan(first);
      // The number taken in the rolled-back transaction is not handed out again: a gap.
      expect(new Set([first, lost, ...after]).size).toBe(5);
      expect(Math.min(...after)).toBeGreaterThan(lost);
    });
  });

  it('gives back the JS values SQLite gives: Date, objects from jsonb, booleans, numbers past 2^31', async () => {
    const at = new Date('2026-03-29T01:30:00.123+02:00');
    const rows = {
      mailbox: { name: 'support', address: 'support@example.org', uidValidity: '1700000000', lastUid: 4_294_967_295, lastSyncAt: at },
      customer: { email: 'anne@example.org', name: 'Änne', vip: true, stage: 'existing' as const, createdAt: at },
      ticket: { number: 1001, subject: 'Grüße', mailboxId: 1, customerId: 1, createdAt: at, updatedAt: at, dueAt: new Date(at.getTime() + 3_600_000) },
      clock: { ticketId: 1, target: 'resolution' as const, targetMs: 30 * 86_400_000, startedAt: at, warnAt: at, dueAt: at },
      message: {
        ticketId: 1,
        mailboxId: 1,
        direction: 'in' as const,
        kind: 'customer' as const,
        messageId: 'a@example.org',
        references: ['x@example.org', 'y@example.org'],
        fromAddress: 'anne@example.org',
        to: [{ address: 'support@example.org', name: 'Support — 你好' }],
        receivedAt: at,
      },
      event: { ticketId: 1, type: 'status-changed', data: { from: 'new', to: 'open', nested: { n: 1.5, none: null } }, createdAt: at },
      match: { ticketId: 1, slug: 'reset-password', language: 'en', score: 0.8125, rank: 1, suggested: true, createdAt: at },
    };

    const sqliteFile = path.join(tempDir(), 'postdesk.sqlite');
    const sqlite = drizzleSqlite(new Database(sqliteFile), { schema: sqliteSchema });
    migrateSqlite(sqlite, { migrationsFolder: path.join(packageRoot, 'src/store/migrations') });
    const s = sqliteSchema;
    sqlite.insert(s.mailboxes).values(rows.mailbox).run();
    sqlite.insert(s.customers).values(rows.customer).run();
    sqlite.insert(s.tickets).values(rows.ticket).run();
    sqlite.insert(s.slaClocks).values(rows.clock).run();
    sqlite.insert(s.messages).values(rows.message).run();
    sqlite.insert(s.ticketEvents).values(rows.event).run();
    sqlite.insert(s.faqMatches).values(rows.match).run();
    const fromSqlite = {
      mailboxes: sqlite.select().from(s.mailboxes).all(),
      customers: sqlite.select().from(s.customers).all(),
      tickets: sqlite.select().from(s.tickets).all(),
      slaClocks: sqlite.select().from(s.slaClocks).all(),
      messages: sqlite.select().from(s.messages).all(),
      ticketEvents: sqlite.select().from(s.ticketEvents).all(),
      faqMatches: sqlite.select().from(s.faqMatches).all(),
    };
    sqlite.$client.close();

    await withPool(await cluster().createDatabase(), async (pool) => {
      await migratePostgres(pool);
      const db = drizzlePg(pool, { schema: pgSchema });
      const p = pgSchema;
      await db.insert(p.mailboxes).values(rows.mailbox);
      await db.insert(p.customers).values(rows.customer);
      await db.insert(p.tickets).values(rows.ticket);
      await db.insert(p.slaClocks).values(rows.clock);
      await db.insert(p.messages).values(rows.message);
      await db.insert(p.ticketEvents).values(rows.event);
      await db.insert(p.faqMatches).values(rows.match);
      const fromPostgres = {
        mailboxes: await db.select().from(p.mailboxes).orderBy(asc(p.mailboxes.id)),
        customers: await db.select().from(p.customers).orderBy(asc(p.customers.id)),
        tickets: await db.select().from(p.tickets).orderBy(asc(p.tickets.id)),
        slaClocks: await db.select().from(p.slaClocks).orderBy(asc(p.slaClocks.id)),
        messages: await db.select().from(p.messages).orderBy(asc(p.messages.id)),
        ticketEvents: await db.select().from(p.ticketEvents).orderBy(asc(p.ticketEvents.id)),
        faqMatches: await db.select().from(p.faqMatches).orderBy(asc(p.faqMatches.id)),
      };

      const [mailbox] = fromPostgres.mailboxes;
      expect(mailbox.lastSyncAt).toBeInstanceOf(Date);
      expect(mailbox.lastSyncAt!.getTime()).toBe(at.getTime());
      expect(mailbox.lastUid).toBe(4_294_967_295);
      expect(fromPostgres.customers[0].vip).toBe(true);
      expect(fromPostgres.messages[0].to).toEqual(rows.message.to);
      expect(fromPostgres.ticketEvents[0].data).toEqual(rows.event.data);
      expect(fromPostgres.slaClocks[0].targetMs).toBe(30 * 86_400_000);
      // Every column of every row, defaults included, equal to what SQLite gave back.
      expect(fromPostgres).toEqual(fromSqlite);
    });
  });
});

async function withPool<T>(url: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

async function publicTables(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return result.rows.map((row) => row.name);
}

function columnsInSchema(): string[] {
  return pgTables().flatMap((table) => getTableConfig(table).columns.map((c) => `${getTableName(table)}.${c.name} ${c.getSQLType()}${c.notNull ? ' not null' : ''}`)).sort();
}

async function columnsInDatabase(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ column: string }>(
    `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END AS column
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  return result.rows.map((row) => row.column).sort();
}

/** Named indexes and unique constraints; the primary keys' indexes are left to the column check. */
function indexesInSchema(): string[] {
  return pgTables()
    .flatMap((table) => {
      const config = getTableConfig(table);
      // A composite primary key is an index of its own name (contents); single-column ones are *_pkey.
      return [...config.indexes.map((i) => i.config.name!), ...config.columns.filter((c) => c.isUnique).map((c) => c.uniqueName!), ...config.primaryKeys.map((pk) => pk.getName())];
    })
    .sort();
}

async function indexesInDatabase(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey'`);
  return result.rows.map((row) => row.name).sort();
}

async function bookkeeping(pool: pg.Pool): Promise<{ id: number; hash: string; created_at: string }[]> {
  return (await pool.query('SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id')).rows;
}

// Each process loads the migrator and its own Pool, says it is ready, waits for the starting gun, migrates.
const migrator = `
  const fs = require('node:fs');
  const pg = require('pg');
  const { migratePostgres } = require(${JSON.stringify(path.join(packageRoot, 'src/store/pg/migrate.ts'))});
  const [url, gun] = process.argv.slice(-2);
  const pool = new pg.Pool({ connectionString: url });
  console.log('ready');
  const wait = () => new Promise((resolve) => (function poll() { fs.existsSync(gun) ? resolve() : setTimeout(poll, 2); })());
  wait()
    .then(() => migratePostgres(pool))
    .then(() => pool.end())
    .catch((err) => { console.error(err.message); process.exit(1); });
`;

function startMigrator(url: string, gun: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', migrator, '--', url, gun], { cwd: packageRoot });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { ready: Promise.race([ready, done.then(() => {})]), done };
}
