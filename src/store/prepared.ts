// Queries on the ingest hot path are built once per database handle and reused with placeholders:
// building a drizzle query costs more than SQLite takes to run it. The same statements run on
// PostgreSQL, where drizzle's prepared query is executed with the values instead.
import { eq, getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.ts';

type Values = Record<string, unknown>;

/** A drizzle prepared query as SQLite builds it (PostgreSQL's has `execute` instead). */
interface DriverStatement {
  get(values?: Values): unknown;
  all(values?: Values): unknown;
  run(values?: Values): unknown;
}

/** A prepared query on either database: the answer of SQLite's get / all / run, as a promise. */
export interface Statement<Q extends DriverStatement> {
  get(values?: Values): Promise<ReturnType<Q['get']>>;
  all(values?: Values): Promise<ReturnType<Q['all']>>;
  /** Runs a write; how many rows it changed. */
  run(values?: Values): Promise<number>;
}

const perDatabase = new WeakMap<Db, Map<string, Statement<DriverStatement>>>();

export function prepared<Q extends DriverStatement>(db: Db, key: string, build: () => Q): Statement<Q> {
  let cache = perDatabase.get(db);
  if (!cache) perDatabase.set(db, (cache = new Map()));
  let statement = cache.get(key);
  if (statement === undefined) {
    statement = statementOf(build() as DriverStatement);
    cache.set(key, statement);
  }
  return statement as unknown as Statement<Q>;
}

interface PgStatement {
  execute(values?: Values): Promise<{ rowCount?: number | null } | unknown[]>;
}

function statementOf(query: DriverStatement | PgStatement): Statement<DriverStatement> {
  if ('get' in query) {
    return {
      get: async (values) => query.get(values),
      all: async (values) => query.all(values),
      run: async (values) => (query.run(values) as { changes: number }).changes,
    };
  }
  // node-postgres: a select answers its rows; a write without RETURNING the driver's result.
  return {
    get: async (values) => ((await query.execute(values)) as unknown[])[0],
    all: async (values) => query.execute(values),
    run: async (values) => {
      const result = await query.execute(values);
      return Array.isArray(result) ? result.length : (result.rowCount ?? 0);
    },
  };
}

/**
 * Inserts a row through a prepared statement; returns the stored row. Same contract as
 * `db.insert(table).values(row).returning().get()`.
 */
export async function insertRow<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert']): Promise<T['$inferSelect']> {
  const values = definedValues(row);
  const keys = Object.keys(values);
  const statement = prepared(db, `insert ${getTableName(table)} ${keys}`, () =>
    db.insert(table).values(placeholders(keys) as T['$inferInsert']).returning().prepare(),
  );
  return (await statement.get(driverValues(table, values))) as T['$inferSelect'];
}

/**
 * Inserts a row through a prepared statement; returns only its id. For the rows whose writer needs
 * nothing else back: a message's html and text would otherwise be read back and decoded again.
 */
export async function insertRowId<T extends SQLiteTable & { id: SQLiteColumn }>(db: Db, table: T, row: T['$inferInsert']): Promise<number> {
  const values = definedValues(row);
  const keys = Object.keys(values);
  const statement = prepared(db, `insert-id ${getTableName(table)} ${keys}`, () =>
    db.insert(table).values(placeholders(keys) as T['$inferInsert']).returning({ id: table.id }).prepare(),
  );
  return ((await statement.get(driverValues(table, values))) as { id: number }).id;
}

/** Updates the row with this id through a prepared statement (one per set of columns changed). */
export async function updateRow<T extends SQLiteTable>(db: Db, table: T, idColumn: SQLiteColumn, id: number, change: Partial<T['$inferSelect']>): Promise<void> {
  const values = definedValues(change);
  const keys = Object.keys(values);
  if (!keys.length) return;
  const statement = prepared(db, `update ${getTableName(table)} ${keys}`, () =>
    db
      .update(table)
      .set(placeholders(keys) as Partial<T['$inferInsert']>)
      .where(eq(idColumn, sql.placeholder('id')))
      .prepare(),
  );
  await statement.run({ ...driverValues(table, values), id });
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
