// Removes contents from a pack store for good (a customer's data erased on request). Packs are
// append-only, so a pack holding such a record is rewritten without it: the other records are copied
// to a new pack, which is synced, the rows pointing into the old pack are moved in one transaction,
// and only then is the old pack deleted. A crash before the commit leaves an unused new pack; after
// it, an unused old one.
//
// A pack whose writer process is still running (its pid is in the pack's name) may still be appended
// to, and its writer remembers where it put each content: such a pack is not rewritten. Its records
// are overwritten in place instead (content zeroed, sha256 field zeroed: the record keeps its length,
// so the pack stays readable record by record and the writer's appends are untouched).
import fs from 'node:fs';
import path from 'node:path';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableName } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { Transactions } from './transactions.ts';
import { listPackRecords, newPackName, packWriterPid, type PackRecord, type PackStore } from './pack-store.ts';
import { attachments, duplicateDeliveries, faqFeedback, messages, quarantine } from './schema.ts';
import { PRIVATE_FILE } from './private-data.ts';
import { localProcessRunning } from './local-process.ts';

export interface PackPointer {
  table: SQLiteTable;
  pack: SQLiteColumn;
  offset: SQLiteColumn;
  size: SQLiteColumn;
  sha256: SQLiteColumn;
}

/** Every row that keeps a content's place, by store kind (see pack-lookup.ts); backups check them all. */
export const POINTERS: Record<'raw' | 'attachment', PackPointer[]> = {
  raw: [
    { table: messages, pack: messages.rawPack, offset: messages.rawOffset, size: messages.rawSize, sha256: messages.rawSha256 },
    { table: quarantine, pack: quarantine.rawPack, offset: quarantine.rawOffset, size: quarantine.rawSize, sha256: quarantine.rawSha256 },
    {
      table: duplicateDeliveries,
      pack: duplicateDeliveries.rawPack,
      offset: duplicateDeliveries.rawOffset,
      size: duplicateDeliveries.rawSize,
      sha256: duplicateDeliveries.rawSha256,
    },
    { table: faqFeedback, pack: faqFeedback.rawPack, offset: faqFeedback.rawOffset, size: faqFeedback.rawSize, sha256: faqFeedback.rawSha256 },
  ],
  attachment: [{ table: attachments, pack: attachments.pack, offset: attachments.offset, size: attachments.size, sha256: attachments.sha256 }],
};

export interface ErasureOutcome {
  /** Records removed (every copy of every content asked for). */
  records: number;
  /** Packs rewritten without them. */
  rewritten: number;
  /** Packs of a running process, whose records were zeroed in place. */
  zeroed: number;
}

/** Removes every record of these contents (by sha256) from the store's packs. */
export async function eraseFromPacks(transactions: Transactions, store: PackStore, kind: 'raw' | 'attachment', contents: ReadonlySet<string>): Promise<ErasureOutcome> {
  const outcome: ErasureOutcome = { records: 0, rewritten: 0, zeroed: 0 };
  if (!contents.size || !fs.existsSync(store.dir)) return outcome;
  for (const pack of fs.readdirSync(store.dir).filter((name) => name.endsWith('.pack')).sort()) {
    const { records, tail, length } = listPackRecords(store.dir, pack, kind);
    const erased = records.filter((r) => contents.has(r.sha256));
    if (!erased.length) continue;
    outcome.records += erased.length;
    if (writerIsRunning(pack)) {
      zeroInPlace(store.pathOf(pack), kind, erased);
      outcome.zeroed++;
    } else {
      await rewritePack(transactions, store, kind, pack, { kept: records.filter((r) => !contents.has(r.sha256)), tail, length });
      outcome.rewritten++;
    }
  }
  return outcome;
}

/** Same host only: a pid from another machine's pack would be taken for a local one. */
function writerIsRunning(pack: string): boolean {
  const pid = packWriterPid(pack);
  return pid !== null && localProcessRunning(pid);
}

const ZERO_SHA = '0'.repeat(64);
const COPY_CHUNK = 1024 * 1024;

function zeroInPlace(file: string, kind: string, erased: PackRecord[]): void {
  const fd = fs.openSync(file, 'r+');
  try {
    for (const record of erased) {
      fs.writeSync(fd, ZERO_SHA, record.start + `postdesk-${kind} `.length, 'latin1');
      for (let at = record.offset; at < record.offset + record.size; at += COPY_CHUNK) {
        fs.writeSync(fd, Buffer.alloc(Math.min(COPY_CHUNK, record.offset + record.size - at)), 0, undefined, at);
      }
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function rewritePack(transactions: Transactions, store: PackStore, kind: 'raw' | 'attachment', pack: string, plan: { kept: PackRecord[]; tail: number; length: number }): Promise<void> {
  const target = newPackName();
  // A pack left with nothing to keep is deleted, not copied.
  const moves = plan.kept.length || plan.tail < plan.length ? copyRecords(store, pack, target, plan) : new Map<number, number>();
  try {
    await transactions.run(async (tx) => movePointers(tx, kind, pack, target, moves));
  } catch (err) {
    fs.rmSync(store.pathOf(target), { force: true });
    throw err;
  }
  fs.rmSync(store.pathOf(pack));
  syncDir(store.dir);
}

/** Copies the kept records (and a torn tail, verbatim) to a new synced pack; returns old → new content offsets. */
function copyRecords(store: PackStore, pack: string, target: string, plan: { kept: PackRecord[]; tail: number; length: number }): Map<number, number> {
  const moves = new Map<number, number>();
  const from = fs.openSync(store.pathOf(pack), 'r');
  const to = fs.openSync(store.pathOf(target), 'wx', PRIVATE_FILE);
  try {
    let written = 0;
    const copy = (start: number, end: number) => {
      for (let at = start; at < end; at += COPY_CHUNK) {
        const chunk = Buffer.alloc(Math.min(COPY_CHUNK, end - at));
        fs.readSync(from, chunk, 0, chunk.length, at);
        fs.writeSync(to, chunk);
      }
      written += end - start;
    };
    for (const record of plan.kept) {
      moves.set(record.offset, written + record.offset - record.start);
      copy(record.start, record.end);
    }
    copy(plan.tail, plan.length);
    fs.fsyncSync(to);
  } finally {
    fs.closeSync(from);
    fs.closeSync(to);
  }
  syncDir(store.dir);
  return moves;
}

function movePointers(db: Db, kind: 'raw' | 'attachment', pack: string, target: string, moves: Map<number, number>): void {
  const sqlite = db.$client;
  sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS pack_moves (old INTEGER PRIMARY KEY, new INTEGER NOT NULL); DELETE FROM pack_moves');
  const insert = sqlite.prepare('INSERT INTO pack_moves (old, new) VALUES (?, ?)');
  for (const [old, moved] of moves) insert.run(old, moved);
  for (const pointer of POINTERS[kind]) {
    const table = `"${getTableName(pointer.table)}"`;
    const [packColumn, offsetColumn] = [`"${pointer.pack.name}"`, `"${pointer.offset.name}"`];
    sqlite
      .prepare(
        `UPDATE ${table} SET ${packColumn} = ?, ${offsetColumn} = (SELECT new FROM pack_moves WHERE old = ${offsetColumn})
         WHERE ${packColumn} = ? AND ${offsetColumn} IN (SELECT old FROM pack_moves)`,
      )
      .run(target, pack);
    const left = sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${packColumn} = ?`).get(pack) as { n: number };
    // A row pointing at a record being removed: the caller erased the wrong set; keep everything.
    if (left.n) throw new Error(`${left.n} ${getTableName(pointer.table)} rows still point at erased records of ${kind} pack ${pack}`);
  }
  sqlite.exec('DELETE FROM pack_moves');
}

function syncDir(dir: string): void {
  const fd = fs.openSync(path.resolve(dir), 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
