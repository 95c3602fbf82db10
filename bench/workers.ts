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
// The baseline is 1 worker on PostgreSQL: the coordination cost is the CPU per mail with N workers
// over it (target < 1.20). On a 2-core machine more workers cannot add speed; the point is what
// their coordination (heartbeats, leases, the writers' turn lock, outbox claims) costs per mail.
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
const SETUPS = [
  { label: 'PostgreSQL, 1 worker', database: 'postgres', workers: 1 },
  { label: 'PostgreSQL, 2 workers', database: 'postgres', workers: 2 },
  { label: 'PostgreSQL, 3 workers', database: 'postgres', workers: 3 },
  { label: 'SQLite, 1 worker', database: 'sqlite', workers: 1 },
] as const;
type Setup = (typeof SETUPS)[number];

interface Result {
  setup: Setup;
  ingestSeconds: number;
  workerCpu: number;
  postgresCpu: number;
  /** How many mailboxes each worker held at the end (leases), e.g. "2+1". */
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

async function measure(setup: Setup, index: number, server: ImapServer, smtp: SmtpCapture, cluster: PostgresCluster): Promise<Result> {
  const users = Array.from({ length: MAILBOXES }, (_, m) => ({ user: `s${index}m${m}`, password: 'bench-pw' }));
  const database = setup.database === 'postgres' ? { url: await cluster.createDatabase() } : undefined;
  const config = {
    ...(database ? { database } : {}),
    smtp: smtp.config,
    mailboxes: users.map((u, m) => ({ name: `m${m}`, address: `m${m}@example.com`, imap: { host: server.host, port: server.port, tls: 'none' as const, user: u.user, password: u.password } })),
    // Every thread's customer writes from bench.example: the loop guard must not hold acknowledgements back.
    outbound: { maxAutoMailsPerDomainPerHour: 1_000_000 },
  };
  const workers = Array.from({ length: setup.workers }, (_, w) => new Worker(`${setup.database}-${w + 1}`, config));
  // The test's view of the database: through an App on the first worker's data directory (its SQLite, or the shared PostgreSQL).
  let view: App | undefined;
  try {
    workers.forEach((w) => w.start());
    await Promise.all(workers.map((w) => w.waitForLog(/postdesk running/, 60_000)));
    view = await openApp({ config: loadConfig({ dataDir: workers[0].dataDir, configPath: path.join(workers[0].dataDir, 'postdesk.config.json'), env: {} }), log: silentLogger });
    const app = view;
    const count = (text: string) => countOf(app, text);
    await waitUntil('every mailbox checkpointed', async () => (await count('SELECT count(*) AS n FROM mailboxes WHERE last_uid IS NOT NULL')) === MAILBOXES, 60_000);
    await Promise.all(users.map((u, m) => stage(server, u, mailsFor(m))));
    await waitUntil('every worker to hold its fair share', async () => sharesHeld(await leaseCounts(app, workers), MAILBOXES), 60_000, 250);
    const sentBefore = smtp.mails.length;

    const workerPids = workers.map((w) => w.pid!);
    const storedBefore = workers.reduce((sum, w) => sum + w.stored, 0);
    const [workersBefore, postgresBefore] = [workerPids.map(cpuOf), database ? postgresCpu(cluster) : 0];
    const started = process.hrtime.bigint();
    await Promise.all(users.map((u) => release(server, u)));
    // Counted from the workers' log lines, so that watching adds no queries to the database being measured.
    await waitUntil(`${TOTAL} mails stored`, async () => workers.reduce((sum, w) => sum + w.stored, 0) - storedBefore >= TOTAL, 600_000);
    const ingestSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const tickets = await count('SELECT count(*) AS n FROM tickets');
    await waitUntil('every acknowledgement sent', async () => smtp.mails.length - sentBefore >= tickets && (await count(`SELECT count(*) AS n FROM outbox WHERE status = 'queued'`)) === 0, 300_000, 1000);
    const eachCpu = workerPids.map((pid, i) => cpuOf(pid) - workersBefore[i]);
    const workerCpu = eachCpu.reduce((sum, cpu) => sum + cpu, 0);
    const postgresSeconds = database ? postgresCpu(cluster) - postgresBefore : 0;
    const holdings = await leaseHoldings(app, workers, eachCpu);
    return { setup, ingestSeconds, workerCpu, postgresCpu: postgresSeconds, holdings };
  } finally {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await view?.close();
    for (const w of workers) fs.rmSync(w.dataDir, { recursive: true, force: true });
    // Nothing of this setup (autovacuum of its tables, dirty pages) is left to be counted in the next one.
    if (database) await cluster.admin(async (c) => {
      await c.query(`DROP DATABASE ${c.escapeIdentifier(new URL(database.url).pathname.slice(1))} WITH (FORCE)`);
      await c.query('CHECKPOINT');
    });
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

/** Per worker: the mailboxes it holds (leases) and its CPU seconds, e.g. "2 (11.0 s) + 1 (6.1 s)". */
async function leaseHoldings(app: App, workers: Worker[], cpu: number[]): Promise<string> {
  return (await leaseCounts(app, workers)).map((n, i) => `${n} (${cpu[i].toFixed(1)} s)`).join(' + ');
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
    process.stderr.write(`${setup.label}: ${(TOTAL / result.ingestSeconds).toFixed(0)} mails/s\n`);
  }
} finally {
  await cluster.stop();
  await smtp.down();
  await server.stop();
  fs.rmSync(server.dir, { recursive: true, force: true });
}

const base = results[0];
const perMail = (r: Result) => (r.workerCpu + r.postgresCpu) / TOTAL;
console.log(`bench:workers  ${TOTAL} mails over ${MAILBOXES} IMAP mailboxes (${server.label}, ${cluster.label}), MOVEd into the INBOXes at once; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('CPU = user + system of the worker processes (and of the PostgreSQL server), from the MOVE until every mail is stored and acknowledged');
console.log(`${'setup'.padEnd(24)}${'mails/s'.padStart(9)}${'ingest s'.padStart(10)}${'workers ms/mail'.padStart(17)}${'PG ms/mail'.padStart(12)}${'total ms/mail'.padStart(15)}${'vs 1 PG'.padStart(9)}  per worker: mailboxes held (CPU)`);
let missed = false;
for (const r of results) {
  const ratio = perMail(r) / perMail(base);
  const judged = r.setup.database === 'postgres' && r.setup.workers > 1;
  if (judged && ratio >= TARGET_RATIO) missed = true;
  console.log(
    `${r.setup.label.padEnd(24)}${(TOTAL / r.ingestSeconds).toFixed(0).padStart(9)}${r.ingestSeconds.toFixed(1).padStart(10)}${((r.workerCpu / TOTAL) * 1000).toFixed(2).padStart(17)}${((r.postgresCpu / TOTAL) * 1000).toFixed(2).padStart(12)}${(perMail(r) * 1000).toFixed(2).padStart(15)}${ratio.toFixed(2).padStart(9)}  ${r.holdings}${judged ? `  (target < ${TARGET_RATIO.toFixed(2)})` : ''}`,
  );
}
if (missed) {
  console.log(`coordination cost above ${Math.round((TARGET_RATIO - 1) * 100)} % per mail`);
  process.exit(1);
}
