// What `postdesk db backup` costs on a data directory of small mails (generated support threads,
// one in 7 with a 6 kB attachment), against a plain `tar` of the same directory in the same run: the
// least any archive of it costs, but neither consistent (the database file without its WAL) nor checked.
// Also the compressed archive (.tar.gz) and `db restore`. Both postdesk commands run as processes,
// as an administrator runs them, so their figures include the start of Node.js.
// Usage: npm run bench:backup [-- <mails>]   (default 2000)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { generatedMail } from './corpus.ts';

const TOTAL = Number(process.argv[2] ?? 2000);
const BIN = path.resolve(import.meta.dirname, '../bin/postdesk.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-backup-'));
const data = path.join(work, 'data');

function postdesk(args: string[]): void {
  const run = spawnSync(process.execPath, [BIN, ...args, '--data', data], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`postdesk ${args.join(' ')}: exit ${run.status}: ${run.stderr}`);
}

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

function treeBytes(dir: string): number {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
}

const maildir = path.join(work, 'maildir');
for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
for (let n = 0; n < TOTAL; n++) fs.writeFileSync(path.join(maildir, 'new', `${n}.bench`), generatedMail(Math.floor(n / 4), n % 4));
postdesk(['ingest', '--maildir', maildir]);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`${TOTAL} mails ingested; data directory ${mb(treeBytes(data))} (postdesk.sqlite ${mb(fs.statSync(path.join(data, 'postdesk.sqlite')).size)}), ${os.availableParallelism()} CPU cores`);

const plain = path.join(work, 'plain.tar');
const results = [
  { name: 'tar -cf (plain copy)', file: plain, seconds: timed(() => tar.c({ file: plain, cwd: data, sync: true }, ['.'])) },
  ...['backup.tar', 'backup.tar.gz'].map((name) => {
    const file = path.join(work, name);
    return { name: `postdesk db backup ${name.replace('backup', '')}`, file, seconds: timed(() => postdesk(['db', 'backup', file])) };
  }),
];
const start = timed(() => spawnSync(process.execPath, [BIN, '--version']));
console.log(`(a postdesk process takes ${start.toFixed(2)} s to start and stop: postdesk --version)`);
const [baseline] = results;
for (const r of results) {
  const ratio = r === baseline ? '' : `   ${(r.seconds / baseline.seconds).toFixed(1)}× the time of the plain tar`;
  console.log(`${r.name.padEnd(28)} ${r.seconds.toFixed(2).padStart(6)} s  ${mb(fs.statSync(r.file).size).padStart(9)}${ratio}`);
}
const restored = path.join(work, 'restored');
const restore = timed(() => {
  const run = spawnSync(process.execPath, [BIN, 'db', 'restore', path.join(work, 'backup.tar'), '--data', restored], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`db restore: exit ${run.status}: ${run.stderr}`);
});
console.log(`${'postdesk db restore .tar'.padEnd(28)} ${restore.toFixed(2).padStart(6)} s  (every sha256 and row count checked)`);
fs.rmSync(work, { recursive: true, force: true });
