// Opens the SQLite database in the data directory with the settings every process must share,
// and applies committed migrations. All SQL lives behind this store layer.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { newerSchemaProblem } from './schema-version.ts';
import * as schema from './schema.ts';
import { packageRoot } from '../package-root.ts';
import { PRIVATE_DIR, PRIVATE_FILE } from './private-data.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

// From the sources even when running compiled: the build copies no SQL.
/** The SQLite database's file in the data directory. */
export const SQLITE_FILE = 'postdesk.sqlite';

const migrationsFolder = path.join(packageRoot, 'src/store/migrations');

/**
 * The SQLite database as the process uses it: `read` answers queries outside transactions (committed
 * data only; it refuses writes), `write` is the one connection writes happen on, always inside a
 * transaction run by `sqliteTransactions` (store/transactions.ts). Two connections because a
 * transaction may await between its steps: on one shared connection, another loop's query would land
 * inside it.
 */
export interface SqliteDatabase {
  read: Db;
  write: Db;
  close(): void;
}

/** Opens and migrates the database; a file SQLite cannot use (not a database, corrupt, unreadable) is named in the error. */
export function openDatabase(file: string): SqliteDatabase {
  let write: Db | undefined;
  try {
    write = openAndMigrate(file);
    const read = connect(file);
    read.$client.pragma('query_only = ON');
    return {
      read,
      write,
      close: () => {
        read.$client.close();
        write!.$client.close();
      },
    };
  } catch (err) {
    write?.$client.close();
    throw new Error(`database ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function openAndMigrate(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
  // SQLite would create the file 0644 less the umask; it gives the -wal and -shm the file's own mode.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  const db = connect(file);
  whileBusy(() => db.$client.pragma('journal_mode = WAL'));
  whileBusy(() => applyMigrations(db.$client));
  return db;
}

function connect(file: string): Db {
  const sqlite = new Database(file, { timeout: 5000 });
  // NORMAL in WAL mode: a commit survives a process crash (SIGKILL); FULL would add an fsync per mail.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  cachePreparedStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Processes opening a fresh database together: SQLite answers some of them SQLITE_BUSY at once,
 * without waiting for the busy timeout (while another sets up the WAL, seen under load in CI), so
 * the step is tried again for a while.
 */
function whileBusy(step: () => unknown): void {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      step();
      return;
    } catch (err) {
      if (!(err instanceof Database.SqliteError) || !err.code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/**
 * drizzle's migrator reads the last applied migration before its (deferred) transaction, so two
 * processes opening a fresh database both try to create the tables and one fails. The same
 * bookkeeping in one IMMEDIATE transaction makes the second wait and then find nothing to do.
 */
function applyMigrations(sqlite: Database.Database): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  sqlite.transaction(() => {
    // The table drizzle-kit and drizzle's migrator use, so databases made before stay compatible.
    sqlite.exec('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)');
    const last = sqlite.prepare('SELECT max(created_at) AS at FROM "__drizzle_migrations"').get() as { at: number | null };
    const newer = newerSchemaProblem(last.at === null ? null : Number(last.at), migrations);
    if (newer) throw new Error(newer);
    const record = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
    for (const migration of migrations) {
      if (last.at !== null && Number(last.at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
    }
  }).immediate();
}

/** Why this Postdesk must not use the database file (a newer one migrated it), or null; reads only. */
export function newerSchemaIn(file: string): string | null {
  const sqlite = new Database(file, { readonly: true });
  try {
    const last = sqlite.prepare('SELECT max(created_at) AS at FROM "__drizzle_migrations"').get() as { at: number | null };
    return newerSchemaProblem(last.at === null ? null : Number(last.at), readMigrationFiles({ migrationsFolder }));
  } finally {
    sqlite.close();
  }
}

/**
 * drizzle prepares every query anew; compiling the SQL was a fifth of the ingest time. The same SQL
 * text reuses its statement. Reader statements are handed out in object mode, since drizzle turns
 * raw mode on explicitly where it wants it.
 */
function cachePreparedStatements(sqlite: Database.Database): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      cache.set(source, statement);
    } else if (statement.reader) {
      statement.raw(false);
    }
    return statement;
  }) as typeof sqlite.prepare;
}
