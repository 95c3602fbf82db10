// The content stores side by side: put and get of 2,000 mails of about 20 KB (text and a small
// base64 image) and 20 attachments of 2 MB (random bytes: already compressed, as JPEG, PDF and zip
// are), one at a time, on the pack files (the baseline) and on PostgreSQL with each TOAST setting
// worth weighing: EXTERNAL (uncompressed, PgContentStore's), bytea's default (EXTENDED, pglz), and lz4.
// PostgreSQL is the tests' throwaway cluster on this machine (fsync off, as the packs do not fsync
// either): the figures compare the stores' own costs, not a disk's.
// Usage: npm run bench:content [-- <mails>]   (3 rounds; each figure is the median)
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ContentRef, ContentStore } from '../src/store/content-store.ts';
import { openDatabase } from '../src/store/db.ts';
import { sqliteTransactions } from '../src/store/transactions.ts';
import { PackContentStore } from '../src/store/pack-content-store.ts';
import { PackStore } from '../src/store/pack-store.ts';
import { PgContentStore } from '../src/store/pg/content-store.ts';
import { migratePostgres } from '../src/store/pg/migrate.ts';
import { startPostgres } from '../tests/harness/postgres.ts';

const MAILS = Number(process.argv[2] ?? 2000);
const MB = 1024 * 1024;
const ROUNDS = 3;

function benchMail(i: number): Buffer {
  const text = Array.from({ length: 70 }, (_, k) => `Line ${k}: order ${10_000 + i} arrived without the charger; ticket ${i * 7 + k}, please advise.`).join('\r\n');
  const image = crypto.randomBytes(9 * 1024).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      `From: Customer ${i} <customer${i}@bench.example>`,
      'To: support@example.com',
      `Subject: Order ${10_000 + i}`,
      `Message-ID: <m${i}@bench.example>`,
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '--b',
      'Content-Type: image/png; name="photo.png"',
      'Content-Transfer-Encoding: base64',
      '',
      image,
      '--b--',
      '',
    ].join('\r\n'),
  );
}

interface Phase {
  seconds: number;
  items: number;
  bytes: number;
}

interface Run {
  name: string;
  phases: Record<string, Phase>;
  diskBytes: number;
}

async function timed(contents: Buffer[], step: (bytes: Buffer, i: number) => Promise<unknown>): Promise<Phase> {
  const start = performance.now();
  for (const [i, bytes] of contents.entries()) await step(bytes, i);
  return { seconds: (performance.now() - start) / 1000, items: contents.length, bytes: contents.reduce((n, b) => n + b.length, 0) };
}

async function measure(name: string, store: ContentStore, diskBytes: () => Promise<number>): Promise<Run> {
  const phases: Record<string, Phase> = {};
  for (const [set, contents] of Object.entries({ mails, attachments })) {
    const refs: ContentRef[] = [];
    phases[`${set} put`] = await timed(contents, async (bytes) => refs.push(await store.put(bytes)));
    phases[`${set} get`] = await timed(contents, (_bytes, i) => store.get(refs[i]));
  }
  return { name, phases, diskBytes: await diskBytes() };
}

const mails = Array.from({ length: MAILS }, (_, i) => benchMail(i));
const attachments = Array.from({ length: 20 }, () => crypto.randomBytes(2 * MB));
const mailMB = mails.reduce((n, m) => n + m.length, 0) / MB;
console.log(`${mails.length} mails (${mailMB.toFixed(1)} MB, ${Math.round((mailMB * 1024) / mails.length)} KB each), ${attachments.length} attachments of 2 MB; one at a time; ${os.availableParallelism()} CPU cores`);

/** A store opened afresh (a content kept already would make its put a no-op), and how much it keeps on disk. */
interface Subject {
  name: string;
  open(): Promise<{ store: ContentStore; diskBytes(): Promise<number>; close(): Promise<void> }>;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-content-'));
const db = openDatabase(path.join(work, 'postdesk.db'));
const cluster = await startPostgres();
const postgres = (name: string, alter: string | null): Subject => ({
  name,
  async open() {
    const pool = new pg.Pool({ connectionString: await cluster.createDatabase(), max: 2 });
    await migratePostgres(pool);
    if (alter) await pool.query(alter);
    return {
      store: new PgContentStore(pool, 'raw'),
      diskBytes: async () => Number((await pool.query(`SELECT pg_total_relation_size('contents') AS n`)).rows[0].n),
      close: () => pool.end(),
    };
  },
});
const subjects: Subject[] = [
  {
    name: 'pack files',
    async open() {
      const packs = new PackStore(fs.mkdtempSync(path.join(work, 'raw-')), 'raw');
      return {
        store: new PackContentStore(packs, 'raw', sqliteTransactions(db.write)),
        diskBytes: async () => fs.readdirSync(packs.dir).reduce((n, f) => n + fs.statSync(packs.pathOf(f)).size, 0),
        close: async () => packs.close(),
      };
    },
  },
  postgres('PostgreSQL, EXTERNAL (uncompressed: the migration sets it)', null),
  postgres('PostgreSQL, EXTENDED (pglz: bytea default)', 'ALTER TABLE contents ALTER COLUMN bytes SET STORAGE EXTENDED'),
  postgres('PostgreSQL, EXTENDED with lz4', 'ALTER TABLE contents ALTER COLUMN bytes SET STORAGE EXTENDED, ALTER COLUMN bytes SET COMPRESSION lz4'),
];

// Rounds, each store in turn within a round: the machine is shared, and its load varies over minutes.
const measured = new Map<string, Run[]>(subjects.map((s) => [s.name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of subjects) {
      const { store, diskBytes, close } = await subject.open();
      try {
        measured.get(subject.name)!.push(await measure(subject.name, store, diskBytes));
      } finally {
        await close();
      }
    }
  }
  console.log(`${cluster.label}; the median of ${ROUNDS} rounds`);
} finally {
  await cluster.stop();
  db.close();
  fs.rmSync(work, { recursive: true, force: true });
}

const median = (runs: Run[]): Run => ({
  ...runs[0],
  phases: Object.fromEntries(Object.keys(runs[0].phases).map((phase) => [phase, runs.map((r) => r.phases[phase]).sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]])),
});
const runs = [...measured.values()].map(median);
const [baseline] = runs;
const rate = (p: Phase) => `${(p.bytes / MB / p.seconds).toFixed(0).padStart(5)} MB/s ${(p.items / p.seconds).toFixed(0).padStart(6)}/s`;
for (const run of runs) {
  console.log(`\n${run.name}: ${(run.diskBytes / MB).toFixed(1)} MB kept (${(run.diskBytes / baseline.diskBytes).toFixed(2)} × the packs)`);
  for (const [phase, p] of Object.entries(run.phases)) {
    const ratio = run === baseline ? '' : `  ${(p.seconds / baseline.phases[phase].seconds).toFixed(1)} × the packs' time`;
    console.log(`  ${phase.padEnd(16)} ${rate(p)}  (${p.seconds.toFixed(2)} s)${ratio}`);
  }
}
