// The manifest of a backup archive: which Postdesk made it and when, how many rows each table of the
// database held, and the size and sha256 of every other file, so that a restore proves it got every
// byte back before anything opens the data directory.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';

export const MANIFEST = 'manifest.json';
/** The database file in a data directory, and in an archive. */

const fileEntry = z.object({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

const manifestSchema = z.object({
  format: z.literal('postdesk-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  postdeskVersion: z.string(),
  /** Rows per table of the database copy. */
  tables: z.record(z.string(), z.number().int().nonnegative()),
  /** Every file of the archive but the manifest, by its path in the data directory ('/' separated). */
  files: z.record(z.string(), fileEntry),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntry>;

export function parseManifest(text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${MANIFEST}: not JSON (${(err as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${MANIFEST}: not a Postdesk backup manifest (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  return parsed.data;
}

const CHUNK = 1024 * 1024;

/**
 * Copies from → to (created with mode, failing if it exists), hashing on the way; only the bytes
 * there when the copy begins, so a pack a writer appends to still ends. Null when from is gone.
 */
export function copyHashed(from: string, to: string, mode: number): FileEntry | null {
  let source: number;
  try {
    source = fs.openSync(from, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const size = fs.fstatSync(source).size;
    const target = fs.openSync(to, 'wx', mode);
    try {
      const hash = crypto.createHash('sha256');
      const chunk = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
      for (let at = 0; at < size; ) {
        const read = fs.readSync(source, chunk, 0, Math.min(chunk.length, size - at), at);
        if (read === 0) throw new Error(`${from} became shorter while it was copied`);
        hash.update(chunk.subarray(0, read));
        fs.writeSync(target, chunk, 0, read);
        at += read;
      }
      return { size, sha256: hash.digest('hex') };
    } finally {
      fs.closeSync(target);
    }
  } finally {
    fs.closeSync(source);
  }
}

export function hashFile(file: string): FileEntry {
  const fd = fs.openSync(file, 'r');
  try {
    const hash = crypto.createHash('sha256');
    const chunk = Buffer.alloc(CHUNK);
    let size = 0;
    for (let read; (read = fs.readSync(fd, chunk, 0, CHUNK, size)) > 0; size += read) hash.update(chunk.subarray(0, read));
    return { size, sha256: hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

/** Rows per table of a database file (drizzle's migration table included: a restore must have it too). */
export function countRows(database: string): Record<string, number> {
  const sqlite = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((table) => [table, sqlite.prepare(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`).pluck().get() as number]));
  } finally {
    sqlite.close();
  }
}

/** What in dir differs from the manifest: files missing, changed, or not listed in it. */
export function differences(dir: string, manifest: BackupManifest): string[] {
  const found = new Set(listFiles(dir).filter((file) => file !== MANIFEST));
  const problems: string[] = [];
  for (const [file, expected] of Object.entries(manifest.files)) {
    if (!found.delete(file)) {
      problems.push(`${file} is missing`);
      continue;
    }
    const actual = hashFile(path.join(dir, file));
    if (actual.size !== expected.size || actual.sha256 !== expected.sha256) problems.push(`${file} does not match its sha256`);
  }
  for (const file of found) problems.push(`${file} is not in the manifest`);
  return problems;
}

/** Every file under dir, as '/'-separated paths relative to it. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
