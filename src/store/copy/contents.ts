// The contents of `postdesk db copy`: every raw mail (stored, quarantined, repeated, help-center
// feedback) and attachment a row points at, read from the packs (each checked against its sha256 as
// it is read) and put into PostgreSQL's content store, once per content. Then the check: every content
// a copied row points at is read back from PostgreSQL, one at a time, and its size and sha256 compared.
import { and, asc, getTableColumns, gt, isNotNull, ne, type Column } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import type { ContentKind, ContentRef } from '../content-store.ts';
import { all, tablesOf } from '../dialect.ts';
import type { Db } from '../db.ts';
import { POINTERS, type PackPointer } from '../pack-compaction.ts';
import { PgContentStore } from '../pg/content-store.ts';
import * as schema from '../schema.ts';
import type { SqliteSource } from './source.ts';

export const KINDS: ContentKind[] = ['raw', 'attachment'];
/** Contents put per transaction. */
const PER_TRANSACTION = 200;
const PAGE = 1_000;

export interface ContentFigures {
  contents: number;
  bytes: number;
}

/** Puts every content of this kind the source's rows point at into the target; distinct contents and their bytes. */
export async function copyContents(source: SqliteSource, pool: pg.Pool, kind: ContentKind): Promise<ContentFigures> {
  const store = new PgContentStore(pool, kind);
  const packs = kind === 'raw' ? source.packs.raw : source.packs.attachments;
  const copied = new Set<string>();
  let bytes = 0;
  let client: pg.PoolClient | null = null;
  let inTransaction = 0;
  const commit = async () => {
    if (!client) return;
    await client.query('COMMIT');
    client.release();
    client = null;
    inTransaction = 0;
  };
  try {
    for (const pointer of POINTERS[kind]) {
      for await (const refs of pointerPages(source.db, pointer)) {
        for (const ref of refs) {
          if (copied.has(ref.sha256)) continue;
          const content = packs.read(ref);
          if (!client) {
            client = await pool.connect();
            await client.query('BEGIN');
          }
          await store.put(content, client);
          copied.add(ref.sha256);
          bytes += content.length;
          if (++inTransaction >= PER_TRANSACTION) await commit();
        }
      }
    }
    await commit();
  } catch (err) {
    const open = client as pg.PoolClient | null;
    if (open) {
      await open.query('ROLLBACK').catch(() => {});
      open.release(true);
    }
    throw err;
  }
  return { contents: copied.size, bytes };
}

/**
 * Reads back every content of this kind that the target's rows point at, checking each one's size and
 * sha256 (PgContentStore.get does); distinct contents and their bytes. A content missing or changed
 * throws, naming it.
 */
export async function verifyContents(db: Db, pool: pg.Pool, kind: ContentKind): Promise<ContentFigures> {
  const store = new PgContentStore(pool, kind);
  const checked = new Set<string>();
  let bytes = 0;
  for (const pointer of targetPointers(db, kind)) {
    for await (const refs of pointerPages(db, pointer)) {
      for (const ref of refs) {
        if (checked.has(ref.sha256)) continue;
        bytes += (await store.get(ref)).length;
        checked.add(ref.sha256);
      }
    }
  }
  return { contents: checked.size, bytes };
}

/** POINTERS (SQLite's tables) on the target's tables: the same table and property names. */
function targetPointers(db: Db, kind: ContentKind): PackPointer[] {
  const tables = tablesOf(db) as unknown as Record<string, SQLiteTable>;
  return POINTERS[kind].map((pointer) => {
    const name = Object.entries(schema).find(([, value]) => value === pointer.table)![0];
    const source = getTableColumns(pointer.table);
    const columns = getTableColumns(tables[name]);
    const same = (column: Column) => columns[Object.keys(source).find((key) => source[key] === column)!];
    return { table: tables[name], pack: same(pointer.pack), offset: same(pointer.offset), size: same(pointer.size), sha256: same(pointer.sha256) } as PackPointer;
  });
}

type PackRef = ContentRef & { pack: string; offset: number };

/** The rows of a pointer's table that keep a content (a place in a pack), PAGE at a time, by id. */
async function* pointerPages(db: Db, pointer: PackPointer): AsyncGenerator<PackRef[]> {
  const id = getTableColumns(pointer.table).id;
  let last = 0;
  for (;;) {
    const rows = await all(
      db
        .select({ id, pack: pointer.pack, offset: pointer.offset, size: pointer.size, sha256: pointer.sha256 })
        .from(pointer.table)
        .where(and(gt(id, last), isNotNull(pointer.pack), ne(pointer.pack, '')))
        .orderBy(asc(id))
        .limit(PAGE),
    );
    if (!rows.length) return;
    yield rows as PackRef[];
    last = rows[rows.length - 1].id as number;
  }
}
