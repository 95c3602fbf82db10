// The SQLite side of `postdesk db copy`: the data directory's database read as one moment left it,
// while `postdesk run` may go on committing. One read transaction on a read-only connection: in WAL
// mode it neither waits for the service's commits nor makes them wait, and every page the copy reads
// is the database at the moment of its first read. The packs are only appended to, so they hold every
// record that moment's rows point at (unless `customers forget` rewrites one meanwhile: reading that
// record then fails its sha256 check, and the copy stops with the marker in place).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { asc, count, getTableColumns, getTableName, gt, type Column } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { openDatabase, SQLITE_FILE, type Db } from '../db.ts';
import { openContentStores, type ContentStores } from '../pack-store.ts';
import * as schema from '../schema.ts';


export interface SqliteSource {
  file: string;
  db: Db;
  packs: ContentStores;
  /** The table's rows in primary key order, `batch` at a time, decoded by drizzle (Date, objects, booleans). */
  pages(table: SQLiteTable, batch: number): AsyncGenerator<Record<string, unknown>[]>;
  count(table: SQLiteTable): number;
  close(): void;
}

export function openSqliteSource(dataDir: string): SqliteSource {
  const file = path.join(dataDir, SQLITE_FILE);
  if (!fs.existsSync(file)) throw new Error(`db copy: no Postdesk database in ${dataDir} (${SQLITE_FILE} is missing)`);
  // Brought to this version's schema first, as any command would; then only read.
  openDatabase(file).close();
  const sqlite = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  const db = drizzle(sqlite, { schema }) as Db;
  sqlite.exec('BEGIN');
  // The snapshot begins with the first read, not with BEGIN.
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  return {
    file,
    db,
    packs: openContentStores({ rawDir: path.join(dataDir, 'raw'), attachmentsDir: path.join(dataDir, 'attachments') }),
    async *pages(table, batch) {
      const key = primaryKey(table);
      let last: unknown;
      for (;;) {
        const query = db.select().from(table).orderBy(asc(key)).limit(batch);
        const rows = (last === undefined ? query : query.where(gt(key, last))).all() as Record<string, unknown>[];
        if (!rows.length) return;
        yield rows;
        if (rows.length < batch) return;
        last = rows[rows.length - 1][propertyOf(table, key)];
      }
    },
    count: (table) => db.select({ n: count() }).from(table).all()[0].n,
    close() {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      sqlite.close();
    },
  };
}

export function primaryKey(table: SQLiteTable): Column {
  const key = getTableConfig(table).columns.find((c) => c.primary);
  if (!key) throw new Error(`table ${getTableName(table)} has no primary key column`);
  return key;
}

/** The JS property a column has in its table's rows. */
export function propertyOf(table: SQLiteTable, column: Column): string {
  return Object.entries(getTableColumns(table)).find(([, value]) => value === column)![0];
}
