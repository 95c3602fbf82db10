// One store, two databases. Store functions build their queries with drizzle on the tables of the
// handle they are given (tablesOf): SQLite's from ./schema.ts, PostgreSQL's from ./pg/schema.ts, the
// same names and JS values (tests/store/pg-schema-parity.test.ts). The handle is typed as SQLite's;
// a query is therefore run only through these helpers, never by SQLite's own get/all/run, and SQL
// that differs between the two is chosen by isPostgres.
import { is, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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

/** Rows of a statement written in SQL (where the two databases need their own). */
export async function sqlRows<Row>(db: Db, statement: SQL): Promise<Row[]> {
  if (!isPostgres(db)) return db.all<Row>(statement);
  return (await (db as unknown as { execute(statement: SQL): Promise<{ rows: Row[] }> }).execute(statement)).rows;
}

/** A string field of a JSON column (`data.to`): json_extract in SQLite, ->> in PostgreSQL. */
export function jsonText(db: Db, column: SQLWrapper, key: string): SQL {
  return isPostgres(db) ? sql`(${column} ->> ${sql.raw(`'${key}'`)})` : sql`json_extract(${column}, ${sql.raw(`'$.${key}'`)})`;
}

/**
 * `column` is one of a list given as one placeholder, so one prepared statement serves any length:
 * SQLite reads the list as a JSON array (json_each), PostgreSQL as an array parameter (= ANY).
 * Pass the list through listParameter.
 */
export function inListParameter(db: Db, column: SQLWrapper, name: string): SQL {
  return isPostgres(db) ? sql`${column} = ANY(${sql.placeholder(name)}::text[])` : sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;
}

export function listParameter(db: Db, values: string[]): unknown {
  return isPostgres(db) ? values : JSON.stringify(values);
}

/** Whether a JSON column holding [{ address, name }] lists the address given as placeholder `name`. */
export function listsAddress(db: Db, column: SQLWrapper, name: string): SQL {
  return isPostgres(db)
    ? sql`${column} @> jsonb_build_array(jsonb_build_object('address', ${sql.placeholder(name)}::text))`
    : sql`EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_extract(value, '$.address') = ${sql.placeholder(name)})`;
}

/** Milliseconds from `from` to `to` (two timestamp columns or expressions), as a number on both. */
export function millisBetween(db: Db, from: SQLWrapper, to: SQLWrapper): SQL<number> {
  return isPostgres(db) ? sql<number>`(EXTRACT(EPOCH FROM (${to} - ${from})) * 1000)::float8` : sql<number>`(${to} - ${from})`;
}

/**
 * A time given to SQL written by hand (not compared through a column, which encodes it itself):
 * epoch milliseconds for SQLite's integer timestamps, a timestamptz for PostgreSQL.
 */
export function timeParameter(db: Db, at: Date): SQL {
  return isPostgres(db) ? sql`${at.toISOString()}::timestamptz` : sql`${at.getTime()}`;
}
