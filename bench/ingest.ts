// npm run bench:ingest — full ingest throughput (raw store, parse, sanitize, thread, one durable
// commit per mail) next to bare mailparser simpleParser on the same mails, in the same run. Ingest
// runs as a batch does (decode workers ahead of the commits); the main-thread-only figure is shown too.
// Each round runs in a fresh process (cold code for both sides alike); BENCH_ROUNDS (default 5)
// rounds give a median, because one round's ratio swings by ±0.1 on a 2-core machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { openApp, silentLogger } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { ingestSchema } from '../src/config/schema.ts';
import { ingestInOrder } from '../src/inbound/pipeline.ts';
import { DecodePool, inlineDecoder } from '../src/inbound/decode/pool.ts';
import type { DecodedMail } from '../src/inbound/decode/decoded-mail.ts';
import { threadPackStores } from '../src/inbound/decode/decode.ts';
import { benchCorpus } from './corpus.ts';

const TOTAL = Number(process.env.BENCH_MAILS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

if (!process.env.BENCH_ROUND) {
  const corpus = benchCorpus(TOTAL);
  console.log(`corpus: ${corpus.length} mails, ${(corpus.reduce((n, m) => n + m.length, 0) / 1e6).toFixed(1)} MB, ${os.availableParallelism()} CPU cores, ${ROUNDS} rounds`);
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`\nround ${round}`);
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env: { ...process.env, BENCH_ROUND: String(round) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`round ${round} failed with exit code ${child.status}`);
    process.stdout.write(child.stdout);
    ratios.push(Number(/ratio ingest\/parse: ([\d.]+)/.exec(child.stdout)![1]));
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`\nratio ingest/parse over ${ROUNDS} rounds: median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}, range ${sorted[0].toFixed(2)}–${sorted.at(-1)!.toFixed(2)} (target >= 0.70)`);
  process.exit(0);
}

const mails = benchCorpus(TOTAL);

/** CPU seconds of all threads (workers, V8's GC and compiler threads, the kernel) while fn runs. */
let lastCpuSeconds = 0;

async function timed(fn: () => Promise<void>): Promise<number> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const used = process.cpuUsage(cpu);
  lastCpuSeconds = (used.user + used.system) / 1e6;
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// Warm both paths (JIT, module loading) on the same few mails before measuring.
const WARM_UP = 50;
for (const m of mails.slice(0, WARM_UP)) await simpleParser(m);

const parseSeconds = await timed(async () => {
  for (const m of mails) await simpleParser(m);
});
const parseCpuSeconds = lastCpuSeconds;

/**
 * Full ingest of the corpus into a fresh data directory, the way `ingest --maildir` takes a batch.
 * With `decoded`, the mails come decoded already: what is left is the committing thread's share.
 */
async function ingestCorpus(decodeWorkers?: number, decoded?: Map<Buffer, DecodedMail>): Promise<{ seconds: number; cpuSeconds: number; counts: Record<string, number>; workers: number }> {
  const dataDirs: string[] = [];
  const open = () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-'));
    dataDirs.push(dataDir);
    const config = loadConfig({ dataDir, env: {}, cwd: dataDir });
    if (decodeWorkers !== undefined) config.ingest.decodeWorkers = decodeWorkers;
    return openApp({ config, log: silentLogger });
  };
  // Warm up on the very mails the baseline warmed up on (workers started, code compiled, charset
  // tables loaded), in a data directory of their own, so that the measured run still sees each mail
  // for the first time; the measured app then decodes with the warmed workers.
  const warm = await open();
  await ingestInOrder(warm, mails.slice(0, WARM_UP).entries(), { incoming: ([i, raw]) => ({ source: `warm:${i}`, mailbox: warm.mailboxes[0], raw, receivedAt: new Date() }), done: () => {} });
  const app = await open();
  await app.decoder.close();
  app.decoder = decoded ? { decode: (input) => (decoded.has(input.raw) ? Promise.resolve(decoded.get(input.raw)!) : warm.decoder.decode(input)), close: async () => {} } : warm.decoder;
  const counts: Record<string, number> = {};
  const seconds = await timed(() =>
    ingestInOrder(app, mails.entries(), {
      incoming: ([i, raw]) => ({ source: `bench:${i}`, mailbox: app.mailboxes[0], raw, receivedAt: new Date() }),
      done: (_item, r) => void (counts[r.status] = (counts[r.status] ?? 0) + 1),
    }),
  );
  const cpuSeconds = lastCpuSeconds;
  const workers = warm.decoder instanceof DecodePool ? warm.decoder.size : 0;
  await app.close();
  await warm.close();
  for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
  return { seconds, cpuSeconds, counts, workers };
}

/**
 * Decoding alone (raw store, parse, sanitize, attachments, visible text; no database) through the
 * same worker pool, as far ahead as a batch decodes: the part of the ingest that no commit tuning
 * can make faster.
 */
async function decodeCorpus(workers: number): Promise<{ seconds: number; decoded: Map<Buffer, DecodedMail> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-decode-'));
  const storage = { rawDir: path.join(dir, 'raw'), attachmentsDir: path.join(dir, 'attachments') };
  const pool = new DecodePool({ workers, timeoutMs: 60_000, memoryMB: ingestSchema.parse({}).decodeMemoryMB, storage, inline: inlineDecoder(threadPackStores(storage)) });
  const decoded = new Map<Buffer, DecodedMail>();
  const decodeAll = async (batch: Buffer[]) => {
    const ahead: Promise<unknown>[] = [];
    for (const raw of batch) {
      ahead.push(pool.decode({ raw, limits: { maxMessageBytes: 25 * 1024 * 1024 }, agentAddresses: [] }).then((d) => decoded.set(raw, d), () => {}));
      if (ahead.length >= 8) await ahead.shift();
    }
    await Promise.all(ahead);
  };
  await decodeAll(mails.slice(0, WARM_UP));
  const seconds = await timed(() => decodeAll(mails));
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, decoded };
}

const full = await ingestCorpus();
const inline = await ingestCorpus(0);
const decodeOnly = await decodeCorpus(full.workers);
const commitOnly = await ingestCorpus(full.workers, decodeOnly.decoded);

const parseRate = mails.length / parseSeconds;
const rate = (seconds: number) => mails.length / seconds;
console.log(`baseline mailparser simpleParser: ${parseRate.toFixed(0)} mails/s (${parseSeconds.toFixed(2)} s, ${parseCpuSeconds.toFixed(2)} CPU s)`);
console.log(`postdesk full ingest:             ${rate(full.seconds).toFixed(0)} mails/s (${full.seconds.toFixed(2)} s, ${full.cpuSeconds.toFixed(2)} CPU s, one commit per mail, ${full.workers} decode worker(s))`);
console.log(`  same, decoding in main thread:  ${rate(inline.seconds).toFixed(0)} mails/s (${inline.seconds.toFixed(2)} s, ratio ${(rate(inline.seconds) / parseRate).toFixed(2)})`);
console.log(`  decoding alone, no database:    ${rate(decodeOnly.seconds).toFixed(0)} mails/s (${decodeOnly.seconds.toFixed(2)} s, same worker pool, ratio ${(rate(decodeOnly.seconds) / parseRate).toFixed(2)})`);
console.log(`  committing alone, mail decoded: ${rate(commitOnly.seconds).toFixed(0)} mails/s (${commitOnly.seconds.toFixed(2)} s, ratio ${(rate(commitOnly.seconds) / parseRate).toFixed(2)})`);
console.log(`outcomes: ${JSON.stringify(full.counts)}`);
console.log(`ratio ingest/parse: ${(rate(full.seconds) / parseRate).toFixed(2)} (target >= 0.70)`);
