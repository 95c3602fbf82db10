// npm run bench:workers [-- --mails N] — the cost of coordinating several `postdesk run` workers on one
// PostgreSQL database: IMAP intake with 1, 2 and 3 workers on PostgreSQL, and 1 worker on SQLite, in
// the same run, against the same Dovecot (the test harness's) and an in-process SMTP relay.
// Three mailboxes, so that up to three workers can each hold one and drain in parallel. Per setup:
// the workers start and checkpoint the mailboxes; N mails (default 3,000, a third per mailbox) are
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

/** The PostgreSQL server's processes: the postmaster and every backend and helper under it. */
function postgresPids(cluster: PostgresCluster): number[] {
  const children = (parent: number): number[] => {
    let list: string;
    try {
      list = fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8');
    } catch {
      return [];
    }
    return list.split(' ').filter(Boolean).map(Number).flatMap((pid) => [pid, ...children(pid)]);
  };
  return [cluster.pid, ...children(cluster.pid)];
}

/** CPU seconds of the given processes, keyed by pid, so processes that come and go are counted by difference. */
function cpuSnapshot(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuOf(pid)]));
}

function cpuSince(before: Map<number, number>, pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuOf(pid) - (before.get(pid) ?? 0), 0);
}

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
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
    const sentBefore = smtp.mails.length;

    const workerPids = workers.map((w) => w.pid!);
    const pgPids = database ? postgresPids(cluster) : [];
    const workersBefore = cpuSnapshot(workerPids);
    const pgBefore = cpuSnapshot(pgPids);
    const started = process.hrtime.bigint();
    await Promise.all(users.map((u) => release(server, u)));
    await waitUntil(`${TOTAL} mails stored`, async () => (await count(`SELECT count(*) AS n FROM messages WHERE direction = 'in'`)) >= TOTAL, 600_000);
    const ingestSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const tickets = await count('SELECT count(*) AS n FROM tickets');
    await waitUntil('every acknowledgement sent', async () => smtp.mails.length - sentBefore >= tickets && (await count(`SELECT count(*) AS n FROM outbox WHERE status = 'queued'`)) === 0, 300_000);
    const workerCpu = cpuSince(workersBefore, workerPids);
    // Backends that started during the run count from zero.
    const postgresCpu = database ? cpuSince(pgBefore, postgresPids(cluster)) : 0;
    const holdings = await leaseHoldings(app, workers);
    return { setup, ingestSeconds, workerCpu, postgresCpu, holdings };
  } finally {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await view?.close();
    for (const w of workers) fs.rmSync(w.dataDir, { recursive: true, force: true });
  }
}

/** How many mailbox leases each worker holds, e.g. "2+1+0". */
async function leaseHoldings(app: App, workers: Worker[]): Promise<string> {
  const rows = await rowsOf<{ pid: number; n: number }>(app, `SELECT w.pid AS pid, count(*) AS n FROM leases l JOIN workers w ON w.id = l.worker_id WHERE l.name LIKE 'imap:%' GROUP BY w.pid`);
  return workers.map((w) => Number(rows.find((r) => Number(r.pid) === w.pid)?.n ?? 0)).join('+');
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
console.log(`${'setup'.padEnd(24)}${'mails/s'.padStart(9)}${'ingest s'.padStart(10)}${'workers ms/mail'.padStart(17)}${'PG ms/mail'.padStart(12)}${'total ms/mail'.padStart(15)}${'vs 1 PG'.padStart(9)}  mailboxes held`);
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
