// npm run bench:scale [-- --tickets N]: Postdesk on a database of 1,000,000 generated tickets.
// Times the `postdesk sla --json` query part, finding a ticket by Message-ID, a week's CSAT and the weekly report,
// each against a baseline measured in the same run on the same data: the same question answered by
// a plain full-table scan (SQLite told NOT INDEXED; for the report, reading every ticket and clock).
// Exits 1 when a target is missed (judged on the median).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openApp, silentLogger } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import { slaList } from '../src/sla/sla-view.ts';
import { findTicketIdByMessageIds } from '../src/store/messages.ts';
import { buildReport, reportPeriod } from '../src/reports/report.ts';
import { satisfactionFigures } from '../src/reports/satisfaction.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const argIndex = process.argv.indexOf('--tickets');
const TICKETS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1_000_000;
const NOW = Date.parse('2026-11-12T12:00:00Z');
const SPAN_DAYS = 730;
/** Tickets of the last two weeks may still be open; older ones are resolved or closed. */
const OPEN_WINDOW = 14 * DAY;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-'));
const config = loadConfig({ dataDir, cwd: dataDir, env: {} });
const app = await openApp({ config, now: () => new Date(NOW), log: silentLogger });
/** The reading connection: the baselines' plain SQL goes through it, as the measured queries do. */
const db = app.db.$client;

/** A tiny deterministic generator (mulberry32): the same database on every run. */
let seed = 7;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * Bulk load on the writing connection, outside the store's transactions (they cannot switch the
 * journal off): nothing else runs on it meanwhile.
 */
function generate(db: Database.Database): number {
  const started = performance.now();
  const customers = 50_000;
  const insertCustomer = db.prepare('INSERT INTO customers (email, created_at) VALUES (?, ?)');
  const insertTicket = db.prepare(
    `INSERT INTO tickets (number, subject, status, priority, mailbox_id, customer_id, created_at, updated_at, resolved_at, first_response_at, due_at, sla_paused_at, rating)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Who resolved each resolved ticket: what the report's CSAT per agent reads.
  const insertEvent = db.prepare(`INSERT INTO ticket_events (ticket_id, type, data, created_at) VALUES (?, 'status-changed', ?, ?)`);
  const insertMessage = db.prepare(
    `INSERT INTO messages (ticket_id, mailbox_id, direction, kind, message_id, from_address, subject, received_at) VALUES (?, ?, 'in', 'customer', ?, ?, ?, ?)`,
  );
  const insertClock = db.prepare(
    'INSERT INTO sla_clocks (ticket_id, target, started_at, warn_at, due_at, paused_at, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const mailboxId = app.mailboxes[0].id;
  // Bulk load as SQLite advises: no rollback journal, a big page cache, and the secondary indexes
  // built once after the rows are in (sorted build) instead of updated row by row.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('tickets', 'messages', 'sla_clocks', 'ticket_events')")
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  const priorities = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];
  db.transaction(() => {
    for (let c = 1; c <= customers; c++) insertCustomer.run(`customer${c}@bench.example`, NOW - SPAN_DAYS * DAY);
    for (let i = 0; i < TICKETS; i++) {
      // Tickets arrive in time order, as in a real database: ids grow with the creation time.
      const createdAt = Math.floor(NOW - SPAN_DAYS * DAY + ((i + random()) / TICKETS) * SPAN_DAYS * DAY);
      const priority = priorities[Math.floor(random() * priorities.length)];
      const targetMs = (priority === 'urgent' ? 4 : 24) * HOUR;
      const recent = NOW - createdAt < OPEN_WINDOW;
      const answeredAt = !recent || random() < 0.6 ? createdAt + Math.floor(random() * 30 * HOUR) : null;
      const resolvedAt = !recent || (answeredAt !== null && random() < 0.5) ? (answeredAt ?? createdAt) + Math.floor(random() * 48 * HOUR) : null;
      const open = resolvedAt === null || resolvedAt > NOW;
      const status = !open ? (NOW - createdAt > 7 * DAY ? 'closed' : 'resolved') : answeredAt !== null && random() < 0.3 ? 'pending' : 'open';
      const pausedAt = status === 'pending' ? answeredAt : null;
      const dueAt = createdAt + targetMs;
      const running = open && answeredAt === null;
      const customer = 1 + Math.floor(random() * customers);
      const ticketId = Number(
        insertTicket.run(
          100_000 + i,
          `Generated ticket ${i}`,
          status,
          priority,
          mailboxId,
          customer,
          createdAt,
          answeredAt ?? createdAt,
          open ? null : resolvedAt,
          answeredAt,
          running ? dueAt : null,
          pausedAt,
          // A third of the resolved tickets are rated.
          !open && random() < 0.33 ? 1 + Math.floor(random() * 5) : null,
        ).lastInsertRowid,
      );
      if (!open) insertEvent.run(ticketId, JSON.stringify({ from: 'open', to: 'resolved', by: `agent${Math.floor(random() * 10)}@bench.example`, reason: 'email command' }), resolvedAt);
      insertMessage.run(ticketId, mailboxId, `m${i}@bench.example`, `customer${customer}@bench.example`, `Generated ticket ${i}`, createdAt);
      insertClock.run(ticketId, 'first-response', createdAt, createdAt + targetMs * 0.75, dueAt, null, running ? null : (answeredAt ?? resolvedAt));
    }
  })();
  for (const index of indexes) db.exec(index.sql);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('ANALYZE');
  return performance.now() - started;
}

/** Median and fastest wall time of fn over runs, after one warm-up run. */
async function time(runs: number, fn: (i: number) => unknown): Promise<{ median: number; min: number }> {
  await fn(-1);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(runs / 2)], min: samples[0] };
}

const generatedMs = await app.transactions.maintenance(async (writer) => generate(writer.$client));
const open = db.prepare("SELECT count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') AND due_at IS NOT NULL").get() as { n: number };
const lookups = Array.from({ length: 1001 }, () => `m${Math.floor(random() * TICKETS)}@bench.example`);

const results = [
  {
    name: 'postdesk sla --json (query part)',
    targetMs: 100,
    ms: await time(9, () => slaList(app)),
    baselineMs: await time(3, () =>
      db.prepare("SELECT * FROM tickets NOT INDEXED WHERE status IN ('new', 'open', 'pending') AND due_at IS NOT NULL ORDER BY due_at").all(),
    ),
  },
  {
    name: 'ticket by Message-ID',
    targetMs: 1,
    ms: await time(1000, (i) => findTicketIdByMessageIds(app.db, [lookups[i + 1]])),
    baselineMs: await time(3, (i) => db.prepare('SELECT ticket_id FROM messages NOT INDEXED WHERE message_id = ?').get(lookups[i + 1])),
  },
  {
    name: 'CSAT of a week, per resolving agent',
    targetMs: 100,
    ms: await time(9, () => satisfactionFigures(app, reportPeriod(app, 'week'))),
    baselineMs: await time(3, () => {
      db.prepare('SELECT id, resolved_at, rating FROM tickets').raw().all();
      db.prepare("SELECT ticket_id, data FROM ticket_events WHERE type = 'status-changed'").raw().all();
    }),
  },
  {
    name: 'weekly report (4 weeks of figures + 12-week trend)',
    targetMs: 2000,
    ms: await time(3, () => buildReport(app, reportPeriod(app, 'week'))),
    // Without the time indexes a report must read every ticket and clock: that read alone is the baseline.
    baselineMs: await time(3, () => {
      db.prepare('SELECT mailbox_id, priority, created_at, first_response_at, resolved_at FROM tickets').raw().all();
      db.prepare('SELECT ticket_id, due_at, stopped_at, paused_at FROM sla_clocks').raw().all();
      db.prepare("SELECT ticket_id, data FROM ticket_events WHERE type = 'status-changed'").raw().all();
    }),
  },
];

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1)).padStart(9);
console.log(`bench:scale  ${TICKETS.toLocaleString('en')} tickets, ${TICKETS.toLocaleString('en')} messages and SLA clocks generated in ${(generatedMs / 1000).toFixed(1)} s; ${open.n} open with a due time`);
// Other processes on the machine inflate wall times: the load average says how busy it was.
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log('');
console.log(`${'measurement'.padEnd(52)}${'median ms'.padStart(10)}${'min ms'.padStart(10)}${'target'.padStart(9)}${'full scan ms'.padStart(14)}${'ratio'.padStart(9)}`);
let missed = 0;
for (const r of results) {
  const ok = r.ms.median <= r.targetMs;
  if (!ok) missed++;
  console.log(
    `${r.name.padEnd(52)}${fmt(r.ms.median)}${fmt(r.ms.min).padStart(10)} ${`<= ${r.targetMs}`.padStart(8)}${fmt(r.baselineMs.median).padStart(14)}${(r.ms.median / r.baselineMs.median).toFixed(3).padStart(9)}  ${ok ? 'ok' : 'MISSED'}`,
  );
}
console.log('\nratio = median time / median time of the same question answered by a full-table scan (lower is better)');
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(missed ? 1 : 0);
