// `postdesk db backup`: one tar file with everything a restore of the SQLite data directory needs,
// taken while the service runs. Order is what makes it complete:
//   1. inbox/new/ (mail not yet ingested), before the database: a mail ingested meanwhile is then in
//      both (a restore takes it as a duplicate delivery) rather than in neither;
//   2. the database, as one moment left it (snapshot.ts);
//   3. the raw and attachment packs, listed and copied after it: they are only appended to, so they
//      hold every record it points at, unless `customers forget` rewrote or zeroed one in between.
//      Every record the copy points at is therefore checked (sha256) in the copied packs, and the
//      whole copy taken again when one fails;
//   4. the secret, unless it is configured.
// Left out: inbox/cur/ (ingested mail, kept in the packs too), outbox-sent/ (the database keeps each
// outgoing mail), mta-pipe.log. Everything is staged in a private folder beside the archive, which
// is written 0600 and linked into place only when complete.
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { UsageError } from '../cli/errors.ts';
import { SQLITE_FILE } from '../store/db.ts';
import { localProcessRunning } from '../store/local-process.ts';
import { PRIVATE_DIR, PRIVATE_FILE } from '../store/private-data.ts';
import { copyHashed, countRows, hashFile, MANIFEST, type BackupManifest, type FileEntry } from './manifest.ts';
import { snapshotDatabase, unmatchedContents } from './snapshot.ts';

export interface BackupOptions {
  dataDir: string;
  /** The archive to write; .tar.gz or .tgz is compressed. */
  file: string;
  /** Replace an existing file. */
  force?: boolean;
  now: Date;
  version: string;
}

export interface BackupOutcome {
  file: string;
  /** Size of the archive. */
  bytes: number;
  manifest: BackupManifest;
  /** How many times the packs were copied (more than once when an erasure ran meanwhile). */
  attempts: number;
}

/** Copies taken at most, each after the last was found to miss a record an erasure moved. */
const ATTEMPTS = 3;
const PACK_FOLDERS = { raw: 'raw', attachment: 'attachments' } as const;
const INBOX_NEW = 'inbox/new';
const SECRET = 'secret';

export async function createBackup(opts: BackupOptions): Promise<BackupOutcome> {
  const file = path.resolve(opts.file);
  if (!fs.existsSync(path.join(opts.dataDir, SQLITE_FILE))) throw new Error(`db backup: no Postdesk database in ${opts.dataDir} (${SQLITE_FILE} is missing)`);
  checkTarget(file, Boolean(opts.force));
  removeStagingOfDeadBackups(file);
  // Named with the pid, so that the next backup knows whose it is once this one is killed.
  const staging = fs.mkdtempSync(path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.`));
  try {
    const data = path.join(staging, 'data');
    let attempts = 0;
    let files: Record<string, FileEntry>;
    for (;;) {
      attempts++;
      fs.rmSync(data, { recursive: true, force: true });
      const staged = stageDataDir(opts.dataDir, data);
      if (!staged.unmatched.length) {
        files = staged.files;
        break;
      }
      if (attempts === ATTEMPTS) {
        throw new Error(
          `db backup: the packs changed while they were copied, ${ATTEMPTS} times (an erasure, \`customers forget\`, running?): ${staged.unmatched.length} records missing, e.g. ${staged.unmatched[0]}; nothing written, try again`,
        );
      }
    }
    const manifest: BackupManifest = {
      format: 'postdesk-backup',
      formatVersion: 1,
      createdAt: opts.now.toISOString(),
      postdeskVersion: opts.version,
      tables: countRows(path.join(data, SQLITE_FILE)),
      files,
    };
    fs.writeFileSync(path.join(data, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE });
    const archive = path.join(staging, 'archive');
    await writeArchive(data, [MANIFEST, ...Object.keys(files)], archive, /\.(tar\.gz|tgz)$/i.test(file));
    placeArchive(archive, file, Boolean(opts.force));
    return { file, bytes: fs.statSync(file).size, manifest, attempts };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging folders of backups of the same file that were killed: their process is gone. */
function removeStagingOfDeadBackups(file: string): void {
  const prefix = `.${path.basename(file)}.`;
  for (const entry of fs.readdirSync(path.dirname(file), { withFileTypes: true })) {
    const pid = entry.isDirectory() && entry.name.startsWith(prefix) ? /^(\d+)\.[^.]+$/.exec(entry.name.slice(prefix.length))?.[1] : undefined;
    if (pid && !localProcessRunning(Number(pid))) fs.rmSync(path.join(path.dirname(file), entry.name), { recursive: true, force: true });
  }
}

/** An existing file needs --force (exit 2); a folder that is missing or not writable is an error (exit 1). */
function checkTarget(file: string, force: boolean): void {
  const dir = path.dirname(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    throw new Error(`db backup: cannot write ${file}: ${errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR' ? `no folder ${dir}` : `${dir}: ${errorCode(err)}`}`);
  }
  if (!stat.isDirectory()) throw new Error(`db backup: cannot write ${file}: ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw new Error(`db backup: cannot write into ${dir} (${errorCode(err)}: not writable by this user)`);
  }
  const existing = fs.statSync(file, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new UsageError(`db backup: ${file} is a folder; give the archive's file name`);
  if (existing && !force) throw new UsageError(`db backup: ${file} exists; give --force to replace it`);
}

interface Staged {
  files: Record<string, FileEntry>;
  /** Records the database copy points at that the copied packs miss (see unmatchedContents). */
  unmatched: string[];
}

/** Copies the data directory's parts into data, in the order that makes the copy complete (see above). */
function stageDataDir(dataDir: string, data: string): Staged {
  const files: Record<string, FileEntry> = {};
  const copy = (name: string) => {
    const to = path.join(data, name);
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: PRIVATE_DIR });
    const entry = copyHashed(path.join(dataDir, name), to, PRIVATE_FILE);
    if (entry) files[name] = entry;
  };
  fs.mkdirSync(data, { mode: PRIVATE_DIR });
  // A mail gone from new/ by now was ingested (moved to cur/) before the snapshot below.
  for (const name of listDir(path.join(dataDir, INBOX_NEW))) copy(`${INBOX_NEW}/${name}`);
  snapshotDatabase(path.join(dataDir, SQLITE_FILE), path.join(data, SQLITE_FILE));
  files[SQLITE_FILE] = hashFile(path.join(data, SQLITE_FILE));
  for (const folder of Object.values(PACK_FOLDERS)) {
    for (const pack of listDir(path.join(dataDir, folder)).filter((name) => name.endsWith('.pack'))) copy(`${folder}/${pack}`);
  }
  if (fs.existsSync(path.join(dataDir, SECRET))) copy(SECRET);
  const copies = { raw: path.join(data, PACK_FOLDERS.raw), attachment: path.join(data, PACK_FOLDERS.attachment) };
  return { files, unmatched: unmatchedContents(path.join(data, SQLITE_FILE), copies) };
}


async function writeArchive(dir: string, entries: string[], archive: string, gzip: boolean): Promise<void> {
  // tar opens the file to write without a mode of its own: created here first, it stays 0600.
  fs.closeSync(fs.openSync(archive, 'wx', PRIVATE_FILE));
  await tar.c({ file: archive, cwd: dir, portable: true, gzip }, entries);
  const fd = fs.openSync(archive, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Moves the finished archive into place; without --force, a file that appeared meanwhile is not replaced either. */
function placeArchive(archive: string, file: string, force: boolean): void {
  if (force) return fs.renameSync(archive, file);
  try {
    fs.linkSync(archive, file);
  } catch (err) {
    if (errorCode(err) === 'EEXIST') throw new UsageError(`db backup: ${file} exists; give --force to replace it`);
    throw err;
  }
}

/** The files (not folders, not links) in dir. */
function listDir(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
