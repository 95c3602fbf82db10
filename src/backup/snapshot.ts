// The database's part of a backup, and the check that the packs copied after it hold what it points at.
//
// VACUUM INTO rather than the online backup API (better-sqlite3's db.backup()): it reads the whole
// database in one read transaction, so the copy is the database as one moment left it, while
// `postdesk run` goes on committing (WAL readers and writers do not wait for each other). The backup
// API copies in steps and starts over whenever another connection writes between two of them, which
// a busy service does every few milliseconds. VACUUM INTO also leaves free pages out: the copy is
// smaller, and holds no text that `customers forget` erased but a free page still kept.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { getTableName } from 'drizzle-orm';
import { POINTERS } from '../store/pack-compaction.ts';
import { sha256 } from '../store/pack-store.ts';
import { PRIVATE_FILE } from '../store/private-data.ts';

/** Writes a consistent copy of the database at source to target (a new file, 0600). */
export function snapshotDatabase(source: string, target: string): void {
  // Read-only: a backup changes nothing, and does not run migrations on the live database.
  const sqlite = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    // VACUUM INTO writes into an empty file; made here, it gets its mode whatever the umask.
    fs.closeSync(fs.openSync(target, 'wx', PRIVATE_FILE));
    sqlite.prepare('VACUUM INTO ?').run(target);
  } finally {
    sqlite.close();
  }
}

/** Where the copied packs are, by store kind. */
export type PackCopies = Record<'raw' | 'attachment', string>;

/**
 * The rows of the database copy whose content the copied packs lack or hold other bytes for: a
 * `customers forget` that rewrote a pack (moving the rows, deleting the old pack) or zeroed records
 * between the snapshot and the copy of the packs. Empty when the copy is complete.
 */
export function unmatchedContents(database: string, copies: PackCopies): string[] {
  const sqlite = new Database(database, { readonly: true, fileMustExist: true });
  const packs = new Map<string, number | null>();
  try {
    const problems: string[] = [];
    for (const kind of ['raw', 'attachment'] as const) {
      for (const pointer of POINTERS[kind]) {
        const table = getTableName(pointer.table);
        const [pack, offset, size, hash] = [pointer.pack, pointer.offset, pointer.size, pointer.sha256].map((c) => `"${c.name}"`);
        // A row without a place keeps no content (erased, or held elsewhere before packs existed).
        const rows = sqlite
          .prepare(`SELECT ${pack} AS pack, ${offset} AS offset, ${size} AS size, ${hash} AS sha256 FROM "${table}" WHERE ${pack} IS NOT NULL AND ${pack} <> ''`)
          .iterate() as IterableIterator<{ pack: string; offset: number; size: number; sha256: string }>;
        for (const row of rows) {
          const key = `${kind}/${row.pack}`;
          if (!packs.has(key)) packs.set(key, openIfPresent(path.join(copies[kind], row.pack)));
          const problem = checkRecord(packs.get(key)!, row);
          if (problem) problems.push(`${table} row points at ${kind} ${row.pack}:${row.offset}, ${problem}`);
        }
      }
    }
    return problems;
  } finally {
    sqlite.close();
    for (const fd of packs.values()) if (fd !== null) fs.closeSync(fd);
  }
}

function checkRecord(fd: number | null, row: { offset: number; size: number; sha256: string }): string | null {
  if (fd === null) return 'a pack not copied';
  const bytes = Buffer.alloc(row.size);
  if (fs.readSync(fd, bytes, 0, row.size, row.offset) !== row.size) return 'past the end of the copied pack';
  return sha256(bytes) === row.sha256 ? null : 'whose copy does not match its sha256';
}

function openIfPresent(file: string): number | null {
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
