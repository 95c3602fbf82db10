// Queries on the ingest hot path are built once per database and reused with placeholders:
// building a drizzle query costs more than SQLite takes to run it.
import { eq, getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.ts';

const perDatabase = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, key: string, build: () => T): T {
  let cache = perDatabase.get(db);
  if (!cache) perDatabase.set(db, (cache = new Map()));
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build();
    cache.set(key, query);
  }
  return query;
}

type Values = Record<string, unknown>;

/** Statements of the shape: one per table and set of columns given. */
interface RowStatement<Row> {
  get(values: Values): Row;
  run(values: Values): unknown;
}

/**
 * Inserts a row through a prepared statement; returns the stored row. Same contract as
 * `db.insert(table).values(row).returning().get()`.
 */
export function insertRow<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert']): T['$inferSelect'] {
  const values = definedValues(row);
  const keys = Object.keys(values);
  const statement = prepared(db, `insert ${getTableName(table)} ${keys}`, () =>
    db.insert(table).values(placeholders(keys) as T['$inferInsert']).returning().prepare(),
  ) as unknown as RowStatement<T['$inferSelect']>;
  return statement.get(driverValues(table, values));
}

/**
 * Inserts a row through a prepared statement; returns only its id. For the rows whose writer needs
 * nothing back: a message's html and text would otherwise be read back and decoded again.
 */
export function insertRowId<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert']): number {
  const values = definedValues(row);
  const keys = Object.keys(values);
  const statement = prepared(db, `insert-id ${getTableName(table)} ${keys}`, () =>
    db.insert(table).values(placeholders(keys) as T['$inferInsert']).prepare(),
  ) as unknown as { run(values: Values): { lastInsertRowid: number | bigint } };
  return Number(statement.run(driverValues(table, values)).lastInsertRowid);
}

/** Updates the row with this id through a prepared statement (one per set of columns changed). */
export function updateRow<T extends SQLiteTable>(db: Db, table: T, idColumn: SQLiteColumn, id: number, change: Partial<T['$inferSelect']>): void {
  const values = definedValues(change);
  const keys = Object.keys(values);
  if (!keys.length) return;
  const statement = prepared(db, `update ${getTableName(table)} ${keys}`, () =>
    db
      .update(table)
      .set(placeholders(keys) as Partial<T['$inferInsert']>)
      .where(eq(idColumn, sql.placeholder('id')))
      .prepare(),
  ) as unknown as RowStatement<never>;
  statement.run({ ...driverValues(table, values), id });
}

function definedValues(row: object): Values {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
}

/** Placeholders wrapped in SQL, so drizzle passes the values through as given (see driverValues). */
function placeholders(keys: string[]): Record<string, SQL> {
  return Object.fromEntries(keys.map((k) => [k, sql`${sql.placeholder(k)}`]));
}

/**
 * Encodes values with each column's own mapper (JSON, timestamps, booleans). Done here because
 * drizzle's placeholder path would also encode a null, which a timestamp column cannot take.
 */
function driverValues(table: SQLiteTable, values: Values): Values {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : columns[k].mapToDriverValue(v)]));
}
