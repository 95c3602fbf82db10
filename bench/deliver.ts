// What an MTA pays per mail: one process per mail, as `|postdesk deliver` and `|postdesk ingest -`
// run, against `cat > file` (the least a pipe delivery can cost) and an empty Node.js program on the
// same mails in the same run. CPU seconds are the steadier figure on a shared machine.
// Usage: npm run bench:deliver [-- <mails>]   (default 100; the shared corpus first, then generated mails)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error: plain JavaScript beside the bin, without type declarations
import { currentCompiledEntry } from '../bin/compiled-entry.js';
import { benchCorpus } from './corpus.ts';

const TOTAL = Number(process.argv[2] ?? 100);
const BIN = path.resolve(import.meta.dirname, '../bin/postdesk.js');
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds of the finished child processes so far (Linux: cutime + cstime of /proc/self/stat). */
function childCpuSeconds(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS;
}

interface Figures {
  name: string;
  wall: number;
  cpu: number;
}

/** Runs one process per mail, in sequence, and checks each exits 0. */
function measure(name: string, mails: Buffer[], run: (mail: Buffer, i: number) => ReturnType<typeof spawnSync>): Figures {
  const cpu = childCpuSeconds();
  const start = performance.now();
  mails.forEach((mail, i) => {
    const result = run(mail, i);
    if (result.status !== 0) throw new Error(`${name}, mail ${i}: exit ${result.status}: ${result.stderr}`);
  });
  return { name, wall: (performance.now() - start) / 1000, cpu: childCpuSeconds() - cpu };
}

const mails = benchCorpus(TOTAL).slice(0, TOTAL);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-deliver-'));
console.log(`${mails.length} mails (${(mails.reduce((n, m) => n + m.length, 0) / 1e6).toFixed(1)} MB), one process per mail, ${os.availableParallelism()} CPU cores`);
console.log(`postdesk runs ${currentCompiledEntry() ? 'the compiled build (dist/)' : 'the TypeScript sources through tsx (no current build: npm run build)'}`);

const node = (args: string[]) => (mail: Buffer) => spawnSync(process.execPath, [BIN, ...args], { input: mail, encoding: 'utf8' });
fs.mkdirSync(path.join(work, 'cat'));
const results = [
  measure('cat > file', mails, (mail, i) => {
    const fd = fs.openSync(path.join(work, 'cat', String(i)), 'w');
    try {
      return spawnSync('cat', [], { input: mail, stdio: ['pipe', fd, 'pipe'] });
    } finally {
      fs.closeSync(fd);
    }
  }),
  // What any Node.js program pays to start and stop here: the floor under both postdesk commands.
  measure('node -e 0', mails, (mail) => spawnSync(process.execPath, ['-e', '0'], { input: mail })),
  measure('postdesk deliver', mails, node(['deliver', '--data', path.join(work, 'deliver')])),
  measure('postdesk ingest -', mails, node(['ingest', '-', '--data', path.join(work, 'ingest')])),
];
const delivered = fs.readdirSync(path.join(work, 'deliver', 'inbox', 'new')).length;
if (delivered !== mails.length) throw new Error(`deliver left ${delivered} mails in inbox/new, not ${mails.length}`);

const [baseline] = results;
for (const r of results) {
  const perMail = (s: number) => `${((s / mails.length) * 1000).toFixed(0).padStart(4)} ms`;
  const ratio = r === baseline ? '' : `   ${(r.wall / baseline.wall).toFixed(1)}× the wall and ${(r.cpu / Math.max(baseline.cpu, 1 / TICKS)).toFixed(1)}× the CPU of cat`;
  console.log(`${r.name.padEnd(18)} ${perMail(r.wall)} wall, ${perMail(r.cpu)} CPU per mail, ${(mails.length / r.wall).toFixed(1).padStart(6)} mails/s${ratio}`);
}
fs.rmSync(work, { recursive: true, force: true });
