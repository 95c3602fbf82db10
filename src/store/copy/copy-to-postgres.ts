// `postdesk db copy --to postgres://…`: a SQLite installation (database, raw mails, attachments,
// quarantine) moved into an empty PostgreSQL database, then checked. The order makes a copy cut short
// harmless:
//   1. the target is migrated and must hold no Postdesk data (the mailboxes and agents rows any
//      command writes from the configuration, and a generated signing secret, excepted: the
//      source's replace them);
//   2. a marker row (settings `copy_in_progress`) is written first; while it is there, every command
//      and `postdesk run` refuse the database (pg/database.ts), and `db copy --restart` empties it
//      and copies again;
//   3. the rows, table by table, ids kept; the sequences moved past them; the data directory's
//      signing secret file into settings, where Postdesk on PostgreSQL keeps it (the tokens in mail
//      already sent go on verifying); the contents;
//   4. the check: the rows of every table counted on both sides, every content read back from
//      PostgreSQL and its sha256 compared;
//   5. only then the marker goes.
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { count, getTableName, ne, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { UsageError } from '../../cli/errors.ts';
import { checkSecret, SECRET_SETTING } from '../../config/secret.ts';
import type { ContentKind } from '../content-store.ts';
import { first, sqlRows, tablesOf } from '../dialect.ts';
import type { Db } from '../db.ts';
import { COPY_MARKER, openPostgres, type CopyMarker, type PostgresDatabase } from '../pg/database.ts';
import * as schema from '../schema.ts';
import { copyContents, KINDS, verifyContents, type ContentFigures } from './contents.ts';
import { openSqliteSource, type SqliteSource } from './source.ts';
import { copyTable, moveSequencesPastCopiedRows, tablesInCopyOrder } from './tables.ts';

export interface CopyOptions {
  dataDir: string;
  target: { url: string; ssl: false | ConnectionOptions; label: string; maxConnections: number };
  /** Empty a database a copy left half done, and copy again. */
  restart?: boolean;
  now: Date;
  warn: (message: string) => void;
}

export interface CopyOutcome {
  source: string;
  /** Rows per table (SQL name), equal on both sides. */
  tables: Record<string, number>;
  /** Distinct contents per kind and their bytes, each read back from PostgreSQL and checked. */
  contents: Record<ContentKind, ContentFigures>;
  seconds: number;
}

/** The tables openApp fills from the configuration on every start: no data of their own. */
const FROM_CONFIG = new Set(['mailboxes', 'agents']);

export async function copyToPostgres(opts: CopyOptions): Promise<CopyOutcome> {
  const started = performance.now();
  const source = openSqliteSource(opts.dataDir);
  try {
    const database = await openPostgres(opts.target, (err) => opts.warn(`database connection lost (${err.message})`), { halfCopied: 'open' });
    try {
      await claimTarget(database, opts, source.file);
      const tables: Record<string, number> = {};
      for (const name of tablesInCopyOrder()) tables[getTableName(schema[name] as SQLiteTable)] = await copyTable(source, database.transactions, name);
      await database.transactions.run((db) => moveSequencesPastCopiedRows(db));
      const secret = await copySecret(database, opts.dataDir);
      const copied = {} as Record<ContentKind, ContentFigures>;
      for (const kind of KINDS) copied[kind] = await copyContents(source, database.contentsPool, kind);
      const contents = await verify(database, source, copied, opts.target.label, secret ? 1 : 0);
      await database.transactions.run((db) => sqlRows(db, sql`DELETE FROM settings WHERE key = ${COPY_MARKER}`));
      return { source: source.file, tables, contents, seconds: (performance.now() - started) / 1000 };
    } finally {
      await database.close();
    }
  } finally {
    source.close();
  }
}

/** The data directory's generated secret, kept where Postdesk on PostgreSQL looks for it; whether there was one. */
async function copySecret(database: PostgresDatabase, dataDir: string): Promise<boolean> {
  const file = path.join(dataDir, 'secret');
  if (!fs.existsSync(file)) return false;
  const secret = checkSecret(fs.readFileSync(file, 'utf8').trim(), file);
  await database.transactions.run((db) => sqlRows(db, sql`INSERT INTO settings (key, value) VALUES (${SECRET_SETTING}, ${secret})`));
  return true;
}

/** Refuses a database that holds Postdesk data (or a half copy, without --restart); then writes the marker. */
async function claimTarget(database: PostgresDatabase, opts: CopyOptions, sourceFile: string): Promise<void> {
  await database.transactions.run(async (db) => {
    const marker = (await sqlRows<{ value: string }>(db, sql`SELECT value FROM settings WHERE key = ${COPY_MARKER} FOR UPDATE`))[0];
    const label = opts.target.label;
    if (marker && !opts.restart) {
      const was = JSON.parse(marker.value) as CopyMarker;
      throw new UsageError(`db copy: ${label} holds an unfinished copy (from ${was.source}, started ${was.startedAt}); give --restart to empty it and copy again`);
    }
    const names = tablesInCopyOrder().map((name) => getTableName(schema[name] as SQLiteTable));
    if (marker) {
      await sqlRows(db, sql.raw(`TRUNCATE ${names.map((n) => `"${n}"`).join(', ')} RESTART IDENTITY`));
    } else {
      const held = await heldData(db);
      if (held.length) throw new UsageError(`db copy: ${label} holds Postdesk data already (${held.join(', ')}); copy into an empty database`);
      for (const name of FROM_CONFIG) await sqlRows(db, sql.raw(`DELETE FROM "${name}"`));
      await sqlRows(db, sql`DELETE FROM settings WHERE key = ${SECRET_SETTING}`);
    }
    const value: CopyMarker = { source: sourceFile, startedAt: opts.now.toISOString() };
    await sqlRows(db, sql`INSERT INTO settings (key, value) VALUES (${COPY_MARKER}, ${JSON.stringify(value)})`);
  });
}

/** `tickets: 12`, … for every table (but the configuration's, and a generated secret) that has rows, and the contents. */
async function heldData(db: Db): Promise<string[]> {
  const held: string[] = [];
  for (const name of tablesInCopyOrder()) {
    const table = tablesOf(db)[name] as SQLiteTable;
    if (FROM_CONFIG.has(getTableName(table))) continue;
    const query = db.select({ n: count() }).from(table);
    const rows = (await first(name === 'settings' ? query.where(ne(tablesOf(db).settings.key, SECRET_SETTING)) : query))!.n;
    if (rows) held.push(`${getTableName(table)}: ${rows}`);
  }
  const [{ n }] = await sqlRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM contents`);
  if (n) held.push(`contents: ${n}`);
  return held;
}

/** Rows per table equal on both sides, and every content the copied rows point at read back and checked. */
async function verify(
  database: PostgresDatabase,
  source: SqliteSource,
  copied: Record<ContentKind, ContentFigures>,
  label: string,
  secretRows: number,
): Promise<Record<ContentKind, ContentFigures>> {
  const db = database.read;
  for (const name of tablesInCopyOrder()) {
    const from = schema[name] as SQLiteTable;
    const to = tablesOf(db)[name] as SQLiteTable;
    // The marker and the secret are the rows the target has more.
    const query = db.select({ n: count() }).from(to);
    const rows = (await first(name === 'settings' ? query.where(ne(tablesOf(db).settings.key, COPY_MARKER)) : query))!.n;
    const expected = source.count(from) + (name === 'settings' ? secretRows : 0);
    if (rows !== expected) throw new Error(`db copy: ${getTableName(from)} has ${expected} rows in ${source.file} but ${rows} in ${label}`);
  }
  const checked = {} as Record<ContentKind, ContentFigures>;
  for (const kind of KINDS) {
    checked[kind] = await verifyContents(db, database.contentsPool, kind);
    if (checked[kind].contents !== copied[kind].contents) {
      throw new Error(`db copy: ${copied[kind].contents} ${kind} contents copied, but the rows in ${label} point at ${checked[kind].contents}`);
    }
  }
  return checked;
}
