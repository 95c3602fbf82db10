// One store, two databases. Store functions build their queries with drizzle on the tables of the
// handle they are given (tablesOf): SQLite's from ./schema.ts, PostgreSQL's from ./pg/schema.ts, the
// same names and JS values (tests/store/pg-schema-parity.test.ts). The handle is typed as SQLite's;
// a query is therefore run only through these helpers, never by SQLite's own get/all/run, and SQL
// that differs between the two is chosen by isPostgres.
import { is } from 'drizzle-orm';
import { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.ts';
import type * as schema from './schema.ts';

export type Tables = typeof schema;

/** The tables of the handle's database. */
export function tablesOf(db: Db): Tables {
  return db._.fullSchema as Tables;
}

export function isPostgres(db: Db): boolean {
  return !is(db, BaseSQLiteDatabase);
}

/** A query as drizzle builds it for SQLite; PostgreSQL's is awaited for its rows. */
interface Query<Row> {
  all(): Row[];
}

/** Every row the query answers. */
export async function all<Row>(query: Query<Row>): Promise<Row[]> {
  return 'all' in query ? query.all() : (query as unknown as PromiseLike<Row[]>);
}

/** The first row the query answers (give it a limit(1) when more could match). */
export async function first<Row>(query: Query<Row>): Promise<Row | undefined> {
  return (await all(query))[0];
}

/** Runs a write; how many rows it changed. */
export async function execute(query: { run(): unknown }): Promise<number> {
  if ('all' in query) return (query.run() as { changes: number }).changes;
  const result = (await (query as unknown as PromiseLike<{ rowCount: number | null } | unknown[]>)) ?? [];
  return Array.isArray(result) ? result.length : (result.rowCount ?? 0);
}
