// Outbox claims with several workers on one database (the suite's: SQLite, and PostgreSQL in the
// PostgreSQL half): each attempt claims one due row for its worker; a row claimed by a live worker
// is left alone, one claimed by a dead or stopped worker is taken over at once (not after the lease).
// That a row locked by another claim is skipped on PostgreSQL: tests/workers/outbox-skip-locked.test.ts.
import { expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { openDelivery } from '../../src/outbound/delivery.ts';
import { deliverDueMail } from '../../src/outbound/sender.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { beat, markWorkerStopped, WORKER_TIMEOUT_MS } from '../../src/store/workers.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { claim, outboxWorkersSuite, queue } from './outbox-workers.ts';

const suite = outboxWorkersSuite();

async function flush(app: TestApp) {
  const delivery = openDelivery(app);
  try {
    return await deliverDueMail(app, delivery);
  } finally {
    delivery.close();
  }
}

const copiesOf = (messageId: string) => suite.smtp.mails.filter((m) => m.parsed.messageId === `<${messageId}>`).length;

it('two senders deliver a queue of 200 mails together, each mail exactly once', async () => {
  const [a, b] = await suite.twoWorkers();
  const ids = await queue(a, 200);
  const [byA, byB] = await Promise.all([flush(a), flush(b)]);
  expect(byA.sent + byB.sent).toBe(200);
  // Both took part: the claims interleave while the other sender waits for SMTP.
  expect(byA.sent).toBeGreaterThan(0);
  expect(byB.sent).toBeGreaterThan(0);
  expect(suite.smtp.mails).toHaveLength(200);
  expect(ids.filter((id) => copiesOf(id) !== 1)).toEqual([]);
  const rows = await listOutbox(a.db);
  expect(rows.every((r) => r.status === 'sent' && r.claimedBy === null && r.attempts === 1)).toBe(true);
});

it("a live worker's claim is left alone; a stopped worker's is taken over at once", async () => {
  const [a, b] = await suite.twoWorkers();
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
  const [a, b] = await suite.twoWorkers();
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
  const [a, b] = await suite.twoWorkers();
  await queue(a, 1);
  a.worker = { ...a.worker, id: 'one-shot' };
  expect(await claim(a)).toMatchObject({ claimedBy: 'one-shot' });
  expect(await claim(b)).toMatchObject({ claimedBy: 'b', attempts: 2 });
  expect(await claim(a)).toBeUndefined();
});
