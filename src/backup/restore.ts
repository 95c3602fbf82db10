// `postdesk db restore`: unpacks a backup into a new (or empty) data directory and proves it whole
// (every file's sha256 as the manifest lists it, every table's row count) before anything opens it.
// What fails leaves the directory empty again, so the restore can simply be run once more.
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { UsageError } from '../cli/errors.ts';
import { ensureMaildir } from '../intake/maildir/folders.ts';
import { ensureDataDir } from '../store/data-dir.ts';
import { newerSchemaIn, SQLITE_FILE } from '../store/db.ts';
import { countRows, differences, MANIFEST, parseManifest, type BackupManifest } from './manifest.ts';

export async function restoreBackup(file: string, dataDir: string): Promise<BackupManifest> {
  const archive = path.resolve(file);
  try {
    fs.accessSync(archive, fs.constants.R_OK);
  } catch (err) {
    throw new Error(`db restore: cannot read ${archive} (${(err as NodeJS.ErrnoException).code})`);
  }
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length) throw new UsageError(`db restore: ${dataDir} is not empty; restore into a new or empty data directory`);
  ensureDataDir(dataDir);
  try {
    await unpack(archive, dataDir);
    const manifestFile = path.join(dataDir, MANIFEST);
    if (!fs.existsSync(manifestFile)) throw new Error(`no ${MANIFEST} in it`);
    const manifest = parseManifest(fs.readFileSync(manifestFile, 'utf8'));
    const problems = differences(dataDir, manifest);
    if (problems.length) throw new Error(`${problems.length} file(s) differ from its manifest, e.g. ${problems[0]}`);
    const tables = countRows(path.join(dataDir, SQLITE_FILE));
    const table = Object.keys({ ...manifest.tables, ...tables }).find((name) => tables[name] !== manifest.tables[name]);
    if (table) throw new Error(`table ${table} has ${tables[table] ?? 'no'} rows, its manifest says ${manifest.tables[table] ?? 'none'}`);
    const newer = newerSchemaIn(path.join(dataDir, SQLITE_FILE));
    if (newer) throw new Error(newer);
    fs.rmSync(manifestFile);
    // The archive holds inbox/new/'s files only; a Maildir reader needs cur/ and tmp/ as well.
    ensureMaildir(path.join(dataDir, 'inbox'));
    return manifest;
  } catch (err) {
    for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    throw new Error(`db restore: ${archive}: ${(err as Error).message}; ${dataDir} is left empty`, { cause: err });
  }
}

/** Only files and folders, inside dir, private whatever the archive says (tar refuses absolute and `..` paths). */
async function unpack(archive: string, dir: string): Promise<void> {
  const refused: string[] = [];
  await tar.x({
    file: archive,
    cwd: dir,
    strict: true,
    chmod: true,
    processUmask: 0o077,
    filter: (name, entry) => {
      const type = 'type' in entry ? entry.type : 'File';
      if (type === 'File' || type === 'OldFile' || type === 'Directory') return true;
      refused.push(`${name} (${type})`);
      return false;
    },
  });
  if (refused.length) throw new Error(`holds entries a backup does not, e.g. ${refused[0]}`);
}
