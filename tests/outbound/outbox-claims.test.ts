// Outbox claims with several workers on one database (the suite's: SQLite, and PostgreSQL in the
// PostgreSQL half): each attempt claims one due row for its worker; a row claimed by a live worker
// is left alone, one claimed by a dead or stopped worker is taken over at once (not after the lease);
// on PostgreSQL a row locked by another claim is skipped, not waited for.
import pg from 'pg';
import { afterEach, beforeAll, afterAll, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { openDelivery } from '../../src/outbound/delivery.ts';
import { deliverDueMail } from '../../src/outbound/sender.ts';
import { claimNextOutbox, insertOutbox, listOutbox } from '../../src/store/outbox.ts';
import { beat, markWorkerStopped, registerWorker, WORKER_TIMEOUT_MS } from '../../src/store/workers.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { testDatabaseIsPostgres } from '../helpers/test-database.ts';
import { tempDir, testApp, testClock, type TestApp } from '../helpers/test-app.ts';

const LEASE_MS = 5 * 60_000;

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await SmtpCapture.start();
});
afterAll(() => smtp.down());

let apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  smtp.mails.length = 0;
});

/** Two senders (Apps) on one database and one clock, registered as workers `a` and `b`. */
async function twoWorkers(): Promise<[TestApp, TestApp]> {
  const dataDir = tempDir();
  const clock = testClock();
  const config = { address: 'support@desk.example', smtp: smtp.config };
  const a = await testApp(config, { dataDir, clock });
  // PostgreSQL: two Apps, each with its own pool, as two processes would have. SQLite: the two share
  // one writing connection — a second App in this process would wait for the file lock in the very
  // thread that has to commit the first one's transaction.
  const b = testDatabaseIsPostgres() ? await testApp(config, { dataDir, clock }) : { ...a };
  apps.push(a, b);
  for (const [app, id] of [[a, 'a'], [b, 'b']] as const) {
    app.worker = { ...app.worker, id };
    await inTransaction(app, ({ db }) => registerWorker(db, { id, host: 'h', pid: 1, startedAt: clock.now() }));
  }
  return [a, b];
}

async function queue(app: TestApp, count: number): Promise<string[]> {
  const ids: string[] = [];
  await inTransaction(app, async ({ db }) => {
    for (let i = 0; i < count; i++) {
      const messageId = `m${i}@desk.example`;
      const recipient = `c${i}@customer.example`;
      await insertOutbox(db, {
        ticketId: null,
        kind: 'acknowledgement',
        messageId,
        recipient,
        mail: { from: 'support@desk.example', to: recipient, subject: `Mail ${i}`, text: 'Hello' },
        nextAttemptAt: app.now(),
        createdAt: app.now(),
      });
      ids.push(messageId);
    }
  });
  return ids;
}

async function flush(app: TestApp) {
  const delivery = openDelivery(app);
  try {
    return await deliverDueMail(app, delivery);
  } finally {
    delivery.close();
  }
}

const claim = (app: TestApp) => inTransaction(app, ({ db }) => claimNextOutbox(db, app.worker.id, app.now(), new Date(app.now().getTime() + LEASE_MS)));
const copiesOf = (messageId: string) => smtp.mails.filter((m) => m.parsed.messageId === `<${messageId}>`).length;

it('two senders deliver a queue of 200 mails together, each mail exactly once', async () => {
  const [a, b] = await twoWorkers();
  const ids = await queue(a, 200);
  const [byA, byB] = await Promise.all([flush(a), flush(b)]);
  expect(byA.sent + byB.sent).toBe(200);
  // Both took part: the claims interleave while the other sender waits for SMTP.
  expect(byA.sent).toBeGreaterThan(0);
  expect(byB.sent).toBeGreaterThan(0);
  expect(smtp.mails).toHaveLength(200);
  expect(ids.filter((id) => copiesOf(id) !== 1)).toEqual([]);
  const rows = await listOutbox(a.db);
  expect(rows.every((r) => r.status === 'sent' && r.claimedBy === null && r.attempts === 1)).toBe(true);
});

it("a live worker's claim is left alone; a stopped worker's is taken over at once", async () => {
  const [a, b] = await twoWorkers();
  const [first, second] = await queue(a, 2);
  const claimed = await claim(a);
  expect(claimed).toMatchObject({ messageId: first, claimedBy: 'a', attempts: 1 });
  // a is alive and still sending: b delivers only the other mail.
  expect(await flush(b)).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(copiesOf(second)).toBe(1);
  expect(copiesOf(first)).toBe(0);
  // a stops (SIGTERM) without recording its mail: b takes the mail over at once, well inside the lease.
  await inTransaction(a, ({ db }) => markWorkerStopped(db, 'a', a.now()));
  expect(await flush(b)).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(copiesOf(first)).toBe(1);
  expect((await listOutbox(b.db)).map((r) => [r.status, r.claimedBy, r.attempts])).toEqual([
    ['sent', null, 2],
    ['sent', null, 1],
  ]);
});

it('a worker killed after SMTP accepted its mail causes one resend, with the same Message-ID, once its heartbeat is overdue', async () => {
  const [a, b] = await twoWorkers();
  const [messageId] = await queue(a, 1);
  // a claims and hands the mail to SMTP, then is killed before recording the send.
  const row = (await claim(a))!;
  const delivery = openDelivery(a);
  await delivery.send({ ...(row.mail as object), messageId: `<${row.messageId}>` });
  delivery.close();
  // While a's heartbeat is recent, nobody touches its claim.
  a.clock.advance(WORKER_TIMEOUT_MS - 1000);
  await inTransaction(b, ({ db }) => beat(db, 'b', b.now()));
  expect(await flush(b)).toEqual({ sent: 0, retrying: 0, failed: 0 });
  // Once it is overdue (seconds, not the five-minute lease), b sends the mail again.
  a.clock.advance(1001);
  await inTransaction(b, ({ db }) => beat(db, 'b', b.now()));
  expect(await flush(b)).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(copiesOf(messageId)).toBe(2);
  expect(await flush(b)).toEqual({ sent: 0, retrying: 0, failed: 0 });
});

it('a claim by a process that is no registered worker is free for the others at once', async () => {
  const [a, b] = await twoWorkers();
  await queue(a, 1);
  a.worker = { ...a.worker, id: 'one-shot' };
  expect(await claim(a)).toMatchObject({ claimedBy: 'one-shot' });
  expect(await claim(b)).toMatchObject({ claimedBy: 'b', attempts: 2 });
  expect(await claim(a)).toBeUndefined();
});

it.skipIf(!testDatabaseIsPostgres())('PostgreSQL: a claim skips a row another transaction holds locked instead of waiting for it', async () => {
  const [a, b] = await twoWorkers();
  const [first, second] = await queue(a, 2);
  const firstId = (await listOutbox(a.db)).find((r) => r.messageId === first)!.id;
  // Another worker's claim transaction, still open, has locked the first due row.
  const holder = new pg.Client({ connectionString: a.config.database.kind === 'postgres' ? a.config.database.url : '' });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [firstId]);
    const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000).unref());
    const got = await Promise.race([claim(b), waited]);
    expect(got).toMatchObject({ messageId: second, claimedBy: 'b' });
    await holder.query('ROLLBACK');
    expect(await claim(b)).toMatchObject({ messageId: first, claimedBy: 'b' });
  } finally {
    await holder.end();
  }
});
