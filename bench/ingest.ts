// npm run bench:ingest — full ingest throughput (raw store, parse, sanitize, thread, one durable
// commit per mail) next to bare mailparser simpleParser on the same mails, in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { openApp, silentLogger } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { ingestRawMail } from '../src/inbound/pipeline.ts';
import { benchCorpus } from './corpus.ts';

const TOTAL = Number(process.env.BENCH_MAILS ?? 2000);
const mails = benchCorpus(TOTAL);
const megabytes = mails.reduce((n, m) => n + m.length, 0) / 1e6;

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// Warm both paths (JIT, module loading) on a few mails before measuring.
for (const m of mails.slice(0, 50)) await simpleParser(m);

const parseSeconds = await timed(async () => {
  for (const m of mails) await simpleParser(m);
});

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-'));
const app = openApp({ config: loadConfig({ dataDir, env: {}, cwd: dataDir }), log: silentLogger });
const counts: Record<string, number> = {};
const ingestSeconds = await timed(async () => {
  for (const [i, raw] of mails.entries()) {
    const r = await ingestRawMail(app, { source: `bench:${i}`, mailbox: app.mailboxes[0], raw, receivedAt: new Date() });
    counts[r.status] = (counts[r.status] ?? 0) + 1;
  }
});
app.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const parseRate = mails.length / parseSeconds;
const ingestRate = mails.length / ingestSeconds;
console.log(`corpus: ${mails.length} mails, ${megabytes.toFixed(1)} MB`);
console.log(`baseline mailparser simpleParser: ${parseRate.toFixed(0)} mails/s (${parseSeconds.toFixed(2)} s)`);
console.log(`postdesk full ingest:             ${ingestRate.toFixed(0)} mails/s (${ingestSeconds.toFixed(2)} s, one commit per mail)`);
console.log(`outcomes: ${JSON.stringify(counts)}`);
console.log(`ratio ingest/parse: ${(ingestRate / parseRate).toFixed(2)} (target >= 0.70)`);
