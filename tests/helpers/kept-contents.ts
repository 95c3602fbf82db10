// What the content stores keep underneath, on either database: the pack files of a data directory
// (SQLite) or the rows of PostgreSQL's contents table.
import fs from 'node:fs';
import type { App } from '../../src/app.ts';
import type { ContentKind } from '../../src/store/content-store.ts';
import { PackContentStore } from '../../src/store/pack-content-store.ts';
import { listPackRecords, type PackStore } from '../../src/store/pack-store.ts';
import { countOf } from './db-rows.ts';

/** The pack stores of an App on SQLite, for tests about the pack files themselves. */
export function packsOf(app: App): { raw: PackStore; attachments: PackStore } {
  if (!(app.raw instanceof PackContentStore) || !(app.attachments instanceof PackContentStore)) throw new Error('this App keeps its contents in PostgreSQL, not in packs');
  return { raw: app.raw.packs, attachments: app.attachments.packs };
}

/** How many copies of a content are kept: records in the packs, or rows of the contents table. */
export async function keptCopies(app: App, kind: ContentKind, sha256: string): Promise<number> {
  const store = kind === 'raw' ? app.raw : app.attachments;
  if (!(store instanceof PackContentStore)) return countOf(app, 'SELECT count(*) AS n FROM contents WHERE kind = ? AND sha256 = ?', kind, sha256);
  const dir = store.packs.dir;
  if (!fs.existsSync(dir)) return 0;
  return fs
    .readdirSync(dir)
    .filter((p) => p.endsWith('.pack'))
    .flatMap((p) => listPackRecords(dir, p, kind).records)
    .filter((r) => r.sha256 === sha256).length;
}
