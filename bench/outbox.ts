// npm run bench:outbox — what the sender pays per mail for its claims, beside a realistic outbox:
// 100,000 mails sent before and 5,000 waiting for a retry (an SMTP outage). Measured in the same run:
//   drain      N due mails through the sender (claim + record per mail), to a delivery that does nothing;
//   baseline   recording alone, one transaction per mail: the least any sender pays;
//   empty poll the sender finding nothing to send (everything waits for its retry), against an empty
//              transaction.
// SQLite, and PostgreSQL when installed (a throwaway cluster). Usage: npm run bench:outbox [-- <mails>]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { inTransaction, openApp, silentLogger, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/load.ts';
import type { MailDelivery } from '../src/outbound/delivery.ts';
import { deliverDueMail } from '../src/outbound/sender.ts';
import { isPostgres, sqlRows } from '../src/store/dialect.ts';
import { markOutboxSent } from '../src/store/outbox.ts';
import { postgresMissing, startPostgres } from '../tests/harness/postgres.ts';

const DUE = Number(process.argv[2] ?? 2000);
const SENT = 100_000;
const WAITING = 5_000;
const POLLS = 500;
const NOW = new Date('2026-11-02T09:00:00Z');

const nothing: MailDelivery = { name: 'nothing', send: async () => {}, close() {} };

/** Adds `count` outbox rows in one statement; ids follow `offset`. */
async function addRows(app: App, count: number, offset: number, status: 'sent' | 'queued', nextAttemptAt: Date): Promise<void> {
  const pg = isPostgres(app.db);
  const at = (d: Date) => (pg ? sql`${d.toISOString()}::timestamptz` : sql`${d.getTime()}`);
  const series = pg
    ? sql.raw(`generate_series(1, ${count}) AS s(g)`)
    : sql.raw(`(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ${count}) SELECT g FROM s)`);
  await inTransaction(app, ({ db }) =>
    sqlRows(db, sql`INSERT INTO outbox (kind, message_id, recipient, recipient_domain, mail, status, attempts, next_attempt_at, created_at)
      SELECT 'acknowledgement', 'bench-' || (g + ${sql.raw(String(offset))}) || '@desk.example', 'c@customer.example', 'customer.example',
        ${sql.raw(`'{"to":"c@customer.example","subject":"Hello","text":"Hi"}'`)}, ${status}, 0, ${at(nextAttemptAt)}, ${at(NOW)}
      FROM ${series} RETURNING 1`),
  );
}

async function dueIds(app: App): Promise<number[]> {
  const rows = await sqlRows<{ id: number }>(app.db, sql`SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ${isPostgres(app.db) ? sql`${NOW.toISOString()}::timestamptz` : sql`${NOW.getTime()}`}`);
  return rows.map((r) => Number(r.id));
}

async function perMail(count: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / count;
}

async function measure(label: string, databaseUrl?: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-outbox-'));
  const env = databaseUrl ? { POSTDESK_DATABASE_URL: databaseUrl } : {};
  const app = await openApp({ config: loadConfig({ dataDir, cwd: dataDir, env }), now: () => NOW, log: silentLogger });
  try {
    await addRows(app, SENT, 0, 'sent', new Date(NOW.getTime() - 86_400_000));
    await addRows(app, WAITING, SENT, 'queued', new Date(NOW.getTime() + 3_600_000));
    if (isPostgres(app.db)) await sqlRows(app.db, sql`ANALYZE outbox`);

    await addRows(app, DUE, SENT + WAITING, 'queued', NOW);
    const baselineIds = await dueIds(app);
    const baseline = await perMail(DUE, async () => {
      for (const id of baselineIds) await inTransaction(app, ({ db }) => markOutboxSent(db, id, NOW));
    });
    await addRows(app, DUE, SENT + WAITING + DUE, 'queued', NOW);
    let sent = 0;
    const drain = await perMail(DUE, async () => void ({ sent } = await deliverDueMail(app, nothing)));
    if (sent !== DUE) throw new Error(`the sender sent ${sent} mails, not ${DUE}`);

    const emptyTransaction = await perMail(POLLS, async () => {
      for (let i = 0; i < POLLS; i++) await inTransaction(app, async () => {});
    });
    const emptyPoll = await perMail(POLLS, async () => {
      for (let i = 0; i < POLLS; i++) await deliverDueMail(app, nothing);
    });

    const ms = (v: number) => `${v.toFixed(3).padStart(7)} ms`;
    console.log(`\n${label}: ${DUE} due mails beside ${SENT} sent and ${WAITING} waiting for a retry`);
    console.log(`  record alone (baseline)   ${ms(baseline)} per mail`);
    console.log(`  sender drain              ${ms(drain)} per mail   ${(drain / baseline).toFixed(2)}× the baseline`);
    console.log(`  empty transaction         ${ms(emptyTransaction)} per poll`);
    console.log(`  sender, nothing to send   ${ms(emptyPoll)} per poll   ${(emptyPoll / emptyTransaction).toFixed(2)}× an empty transaction`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await measure('SQLite');
const missing = postgresMissing();
if (missing) {
  console.log(`\nPostgreSQL: NOT MEASURED, ${missing}`);
  if (process.env.CI === 'true') process.exit(1);
} else {
  const cluster = await startPostgres();
  try {
    await measure(cluster.label, cluster.url);
  } finally {
    await cluster.stop();
  }
}
