// npm run bench:workers [-- --mails N] — the cost of coordinating several `postdesk run` workers on one
// PostgreSQL database: IMAP intake with 1, 2 and 3 workers on PostgreSQL, and 1 worker on SQLite, in
// the same run, against the same Dovecot (the test harness's) and an in-process SMTP relay.
// Three mailboxes, so that the workers share the intake: each worker drains its fair share,
// ceil(3 / workers) — 2 + 1 with two workers, 1 + 1 + 1 with three — and the output shows what each
// held and the CPU it used. Per setup: the workers start, checkpoint the mailboxes and spread them
// (the timing starts once each holds its share); N mails (default 3,000, a third per mailbox) are
// APPENDed to a staging folder and then MOVEd into the INBOXes all at once; timed until every mail is
// stored (mails/s), and CPU (user + system, from /proc/<pid>/stat) of the workers — and of the
// PostgreSQL server's processes — until the outbox is drained too (every acknowledgement sent).
// The baseline of N coordinated workers is N independent ones: the same processes with the same share
// of the mailboxes each, but each on a database of its own (same cluster), so nothing is shared or
// coordinated. The coordination cost is the CPU per mail of the coordinated over the independent
// (target < 1.20, the exit status): what the heartbeats, leases, the writers' turn lock, outbox and
// periodic claims cost. The ratio to 1 worker is shown too, for what it is: the price of N processes
// each decoding (each its own decode thread and JIT warm-up) on this 2-core machine, which no
// coordination can remove. stderr shows the workers' CPU per mail over the first and the second half
// of the mails: the first half carries each process's warm-up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dovecot } from '../tests/harness/dovecot.ts';
import type { ImapServer, ImapUser } from '../tests/harness/imap-server.ts';
import { postgresMissing, startPostgres, type PostgresCluster } from '../tests/harness/postgres.ts';
import { SmtpCapture } from '../tests/harness/smtp.ts';
import { Worker } from '../tests/workers/support.ts';
import { openApp, silentLogger, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { countOf, rowsOf } from '../tests/helpers/db-rows.ts';
import { generatedMail } from './corpus.ts';

const { values: args } = parseArgs({ options: { mails: { type: 'string', default: process.env.BENCH_WORKERS_MAILS ?? '3000' } } });
const MAILBOXES = 3;
const PER_MAILBOX = Math.ceil(Number(args.mails) / MAILBOXES);
const TOTAL = PER_MAILBOX * MAILBOXES;
const TARGET_RATIO = 1.2;
/**
 * coordinated: the workers share one database and the mailboxes (fair share). Not coordinated: the
 * same processes with the same share each, but each alone on a database of its own (same cluster).
 */
const SETUPS = [
  { label: 'PostgreSQL, 1 worker', database: 'postgres', workers: 1, coordinated: true },
  { label: 'PostgreSQL, 2 independent', database: 'postgres', workers: 2, coordinated: false },
  { label: 'PostgreSQL, 2 coordinated', database: 'postgres', workers: 2, coordinated: true },
  { label: 'PostgreSQL, 3 independent', database: 'postgres', workers: 3, coordinated: false },
  { label: 'PostgreSQL, 3 coordinated', database: 'postgres', workers: 3, coordinated: true },
  { label: 'SQLite, 1 worker', database: 'sqlite', workers: 1, coordinated: true },
] as const;
type Setup = (typeof SETUPS)[number];

interface Result {
  setup: Setup;
  ingestSeconds: number;
  workerCpu: number;
  postgresCpu: number;
  /** The workers' CPU per mail (ms) over the first and the second half of the mails stored. */
  halves: [number, number];
  /** How many mailboxes each worker held at the end (leases), with its CPU, e.g. "2 (11.0 s) + 1 (6.1 s)". */
  holdings: string;
}

for (const missing of [postgresMissing(), dovecot.missing()]) {
  if (missing) {
    console.error(`bench:workers: ${missing}`);
    process.exit(1);
  }
}

const TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU in 1/100 s.

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuOf(pid: number): number {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the PostgreSQL server has used so far: the postmaster's own, its live children's
 * (backends, checkpointer, autovacuum, ...), and its reaped children's (cutime, cstime: a backend
 * that has ended, e.g. a pool's idle connection closed, leaves its CPU there).
 */
function postgresCpu(cluster: PostgresCluster): number {
  let postmaster = 0;
  try {
    const fields = fs.readFileSync(`/proc/${cluster.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    postmaster = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) / TICKS;
  } catch {
    return 0;
  }
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${cluster.pid}/task/${cluster.pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    // No children listed: the postmaster alone.
  }
  return postmaster + children.reduce((sum, pid) => sum + cpuOf(pid), 0);
}

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function mailsFor(mailbox: number): Buffer[] {
  // Threads of 4, numbered apart per mailbox so no Message-ID repeats across mailboxes.
  return Array.from({ length: PER_MAILBOX }, (_, n) => generatedMail(mailbox * 1_000_000 + Math.floor(n / 4), n % 4));
}

/** APPENDs to a staging folder (not watched), so that the timed part starts with one MOVE per mailbox. */
async function stage(server: ImapServer, user: ImapUser, mails: Buffer[]): Promise<void> {
  await server.append(user, 'Staging', mails);
}

async function release(server: ImapServer, user: ImapUser): Promise<void> {
  const client = await server.client(user);
  try {
    await client.mailboxOpen('Staging');
    await client.messageMove('1:*', 'INBOX');
  } finally {
    await client.logout();
  }
}

/**
 * The processes of a setup that share one database: all of them when coordinated (one group, every
 * mailbox), else one group per worker with its share of the mailboxes, ceil(3 / workers) — the share
 * it would hold coordinated (2 + 1, 1 + 1 + 1).
 */
interface Group {
  workers: Worker[];
  mailboxes: number[];
  database?: { url: string };
  /** The bench's view of the group's database, through an App on its first worker's data directory. */
  view?: App;
}

async function groupsOf(setup: Setup, index: number, server: ImapServer, smtp: SmtpCapture, cluster: PostgresCluster): Promise<Group[]> {
  const all = Array.from({ length: MAILBOXES }, (_, m) => m);
  const share = Math.ceil(MAILBOXES / setup.workers);
  const plan = setup.coordinated ? [{ workers: setup.workers, mailboxes: all }] : Array.from({ length: setup.workers }, (_, w) => ({ workers: 1, mailboxes: all.slice(w * share, (w + 1) * share) }));
  const groups: Group[] = [];
  for (const part of plan) {
    const database = setup.database === 'postgres' ? { url: await cluster.createDatabase() } : undefined;
    const config = {
      ...(database ? { database } : {}),
      smtp: smtp.config,
      mailboxes: part.mailboxes.map((m) => ({ name: `m${m}`, address: `m${m}@example.com`, imap: { host: server.host, port: server.port, tls: 'none' as const, user: `s${index}m${m}`, password: 'bench-pw' } })),
      // Every thread's customer writes from bench.example: the loop guard must not hold acknowledgements back.
      outbound: { maxAutoMailsPerDomainPerHour: 1_000_000 },
    };
    const first = groups.reduce((n, g) => n + g.workers.length, 0);
    groups.push({ workers: Array.from({ length: part.workers }, (_, w) => new Worker(`${setup.database}-${first + w + 1}`, config)), mailboxes: part.mailboxes, database });
  }
  return groups;
}

async function measure(setup: Setup, index: number, server: ImapServer, smtp: SmtpCapture, cluster: PostgresCluster): Promise<Result> {
  const users = Array.from({ length: MAILBOXES }, (_, m) => ({ user: `s${index}m${m}`, password: 'bench-pw' }));
  const groups = await groupsOf(setup, index, server, smtp, cluster);
  const workers = groups.flatMap((g) => g.workers);
  const pg = setup.database === 'postgres';
  try {
    workers.forEach((w) => w.start());
    await Promise.all(workers.map((w) => w.waitForLog(/postdesk running/, 60_000)));
    for (const g of groups) {
      const dataDir = g.workers[0].dataDir;
      g.view = await openApp({ config: loadConfig({ dataDir, configPath: path.join(dataDir, 'postdesk.config.json'), env: {} }), log: silentLogger });
    }
    const every = async (test: (g: Group, app: App) => Promise<boolean>) => (await Promise.all(groups.map((g) => test(g, g.view!)))).every(Boolean);
    const sum = async (text: string) => (await Promise.all(groups.map((g) => countOf(g.view!, text)))).reduce((a, b) => a + b, 0);
    await waitUntil('every mailbox checkpointed', () => every(async (g, app) => (await countOf(app, 'SELECT count(*) AS n FROM mailboxes WHERE last_uid IS NOT NULL')) === g.mailboxes.length), 60_000);
    await Promise.all(users.map((u, m) => stage(server, u, mailsFor(m))));
    await waitUntil('every worker to hold its fair share', () => every(async (g, app) => sharesHeld(await leaseCounts(app, g.workers), g.mailboxes.length)), 60_000, 250);
    const sentBefore = smtp.mails.length;

    const workerPids = workers.map((w) => w.pid!);
    const stored = () => workers.reduce((n, w) => n + w.stored, 0);
    const storedBefore = stored();
    const workersCpu = () => workerPids.reduce((n, pid) => n + cpuOf(pid), 0);
    const [workersBefore, postgresBefore] = [workerPids.map(cpuOf), pg ? postgresCpu(cluster) : 0];
    const started = process.hrtime.bigint();
    await Promise.all(users.map((u) => release(server, u)));
    // Counted from the workers' log lines, so that watching adds no queries to the database being measured.
    let atHalf: { cpu: number; mails: number } | undefined;
    await waitUntil(
      `${TOTAL} mails stored`,
      () => {
        const mails = stored() - storedBefore;
        if (!atHalf && mails >= TOTAL / 2) atHalf = { cpu: workersCpu(), mails };
        return mails >= TOTAL;
      },
      600_000,
    );
    const ingestSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const atEnd = { cpu: workersCpu(), mails: stored() - storedBefore };
    const halves: [number, number] = [
      ((atHalf!.cpu - workersBefore.reduce((a, b) => a + b, 0)) / atHalf!.mails) * 1000,
      ((atEnd.cpu - atHalf!.cpu) / (atEnd.mails - atHalf!.mails)) * 1000,
    ];
    const tickets = await sum('SELECT count(*) AS n FROM tickets');
    await waitUntil('every acknowledgement sent', async () => smtp.mails.length - sentBefore >= tickets && (await sum(`SELECT count(*) AS n FROM outbox WHERE status = 'queued'`)) === 0, 300_000, 1000);
    const eachCpu = workerPids.map((pid, i) => cpuOf(pid) - workersBefore[i]);
    const workerCpu = eachCpu.reduce((n, cpu) => n + cpu, 0);
    const postgresSeconds = pg ? postgresCpu(cluster) - postgresBefore : 0;
    const held = (await Promise.all(groups.map((g) => leaseCounts(g.view!, g.workers)))).flat();
    const holdings = held.map((n, i) => `${n} (${eachCpu[i].toFixed(1)} s)`).join(' + ');
    return { setup, ingestSeconds, workerCpu, postgresCpu: postgresSeconds, halves, holdings };
  } finally {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    for (const g of groups) await g.view?.close();
    for (const w of workers) fs.rmSync(w.dataDir, { recursive: true, force: true });
    // Nothing of this setup (autovacuum of its tables, dirty pages) is left to be counted in the next one.
    for (const { database } of groups) {
      if (database) await cluster.admin((c) => c.query(`DROP DATABASE ${c.escapeIdentifier(new URL(database.url).pathname.slice(1))} WITH (FORCE)`));
    }
    if (pg) await cluster.admin((c) => c.query('CHECKPOINT'));
  }
}

/** Per worker: how many mailboxes (leases) it holds. */
async function leaseCounts(app: App, workers: Worker[]): Promise<number[]> {
  const rows = await rowsOf<{ pid: number; n: number }>(app, `SELECT w.pid AS pid, count(*) AS n FROM leases l JOIN workers w ON w.id = l.worker_id WHERE l.name LIKE 'imap:%' GROUP BY w.pid`);
  return workers.map((w) => Number(rows.find((r) => Number(r.pid) === w.pid)?.n ?? 0));
}

/** Every mailbox held, none by a worker over its fair share. */
function sharesHeld(counts: number[], mailboxes: number): boolean {
  const share = Math.ceil(mailboxes / counts.length);
  return counts.reduce((sum, n) => sum + n, 0) === mailboxes && counts.every((n) => n <= share);
}

const users = SETUPS.flatMap((_, s) => Array.from({ length: MAILBOXES }, (_, m) => ({ user: `s${s}m${m}`, password: 'bench-pw' })));
const server = await dovecot.start(users);
const smtp = await SmtpCapture.start();
const cluster = await startPostgres();
await cluster.admin((c) => c.query(`ALTER ROLE ${cluster.role} CREATEDB`));
const results: Result[] = [];
try {
  for (const [i, setup] of SETUPS.entries()) {
    const result = await measure(setup, i, server, smtp, cluster);
    results.push(result);
    // The relay's parsed mails are not needed once counted.
    smtp.mails.length = 0;
    process.stderr.write(`${setup.label}: ${(TOTAL / result.ingestSeconds).toFixed(0)} mails/s; workers' CPU ${result.halves.map((ms) => (Number.isFinite(ms) ? ms.toFixed(2) : '-')).join(' / ')} ms per mail over the first / second half of the mails\n`);
  }
} finally {
  await cluster.stop();
  await smtp.down();
  await server.stop();
  fs.rmSync(server.dir, { recursive: true, force: true });
}

const perMail = (r: Result) => (r.workerCpu + r.postgresCpu) / TOTAL;
const ms = (seconds: number) => (seconds * 1000).toFixed(2);
const single = results[0];
console.log(`bench:workers  ${TOTAL} mails over ${MAILBOXES} IMAP mailboxes (${server.label}, ${cluster.label}), MOVEd into the INBOXes at once; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('CPU = user + system of the worker processes (and of the PostgreSQL server), from the MOVE until every mail is stored and acknowledged');
console.log('coordinated: the workers share one database and the mailboxes; independent: the same processes, each with the same share of the mailboxes, each on a database of its own');
console.log(`${'setup'.padEnd(28)}${'mails/s'.padStart(9)}${'ingest s'.padStart(10)}${'workers ms/mail'.padStart(17)}${'PG ms/mail'.padStart(12)}${'total ms/mail'.padStart(15)}  per worker: mailboxes held (CPU)`);
for (const r of results) {
  console.log(
    `${r.setup.label.padEnd(28)}${(TOTAL / r.ingestSeconds).toFixed(0).padStart(9)}${r.ingestSeconds.toFixed(1).padStart(10)}${ms(r.workerCpu / TOTAL).padStart(17)}${ms(r.postgresCpu / TOTAL).padStart(12)}${ms(perMail(r)).padStart(15)}  ${r.holdings}`,
  );
}
console.log();
console.log(`${'PostgreSQL'.padEnd(12)}${'coordinated'.padStart(13)}${'independent'.padStart(13)}${'coordination cost'.padStart(19)}${'N processes vs 1'.padStart(18)}`);
console.log(`${'workers'.padEnd(12)}${'ms/mail'.padStart(13)}${'ms/mail'.padStart(13)}${`(target < ${TARGET_RATIO.toFixed(2)})`.padStart(19)}${'(informational)'.padStart(18)}`);
let missed = false;
for (const n of [2, 3]) {
  const coordinated = results.find((r) => r.setup.database === 'postgres' && r.setup.workers === n && r.setup.coordinated)!;
  const independent = results.find((r) => r.setup.database === 'postgres' && r.setup.workers === n && !r.setup.coordinated)!;
  const cost = perMail(coordinated) / perMail(independent);
  if (cost >= TARGET_RATIO) missed = true;
  console.log(`${String(n).padEnd(12)}${ms(perMail(coordinated)).padStart(13)}${ms(perMail(independent)).padStart(13)}${cost.toFixed(2).padStart(19)}${(perMail(coordinated) / perMail(single)).toFixed(2).padStart(18)}`);
}
console.log(`coordination cost = coordinated / independent CPU per mail: what sharing one database costs. N processes vs 1 = coordinated / 1 worker: the price of N processes decoding on this machine, coordination included.`);
if (missed) {
  console.log(`coordination cost above ${Math.round((TARGET_RATIO - 1) * 100)} % per mail`);
  process.exit(1);
}
