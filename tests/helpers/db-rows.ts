// Tests read the database in SQL (counts, raw columns) on both databases: `?` placeholders as in
// SQLite, sent as parameters of whichever database the App uses. Timestamps come back as each
// database keeps them (SQLite: epoch milliseconds; PostgreSQL: text): compare them through toMillis.
import { sql, type SQL } from 'drizzle-orm';
import type { App } from '../../src/app.ts';
import { sqlRows } from '../../src/store/dialect.ts';

export async function rowsOf<Row = Record<string, unknown>>(app: Pick<App, 'db'>, text: string, ...params: unknown[]): Promise<Row[]> {
  const pieces = text.split('?');
  if (pieces.length !== params.length + 1) throw new Error(`${pieces.length - 1} placeholders, ${params.length} values: ${text}`);
  const chunks: SQL[] = [sql.raw(pieces[0])];
  params.forEach((param, i) => chunks.push(sql`${param}`, sql.raw(pieces[i + 1])));
  return sqlRows<Row>(app.db, sql.join(chunks));
}

/** `SELECT count(*) AS n FROM …`'s n, on either database. */
export async function countOf(app: Pick<App, 'db'>, text: string, ...params: unknown[]): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(app, text, ...params);
  return Number(row.n);
}

/** A timestamp column's value as epoch milliseconds, whichever database returned it. */
export function toMillis(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  // drizzle hands PostgreSQL's timestamptz over as its text ('2026-11-02 12:00:00+00').
  return typeof value === 'string' ? Date.parse(value) : Number(value);
}
