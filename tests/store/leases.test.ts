// Leases, periodic claims and worker liveness, on the suite's database (SQLite, and PostgreSQL in
// the PostgreSQL half): the statements that let several workers share the work.
import { afterEach, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { holdLease, LEASE_MS, listLeases, releaseLease, releaseLeasesOf } from '../../src/store/leases.ts';
import { claimPeriod, periodOf } from '../../src/store/periodic-runs.ts';
import { beat, listWorkers, markWorkerStopped, registerWorker, WORKER_TIMEOUT_MS, workerState } from '../../src/store/workers.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
afterEach(() => app?.close());

const write = <T>(work: (db: TestApp['db']) => Promise<T>) => inTransaction(app, ({ db }) => work(db));

async function worker(id: string) {
  await write((db) => registerWorker(db, { id, host: 'h', pid: 1, startedAt: app.now() }));
}

it('a lease is held by one worker until it expires, is released, or its worker dies or stops', async () => {
  app = await testApp();
  await worker('a');
  await worker('b');
  expect(await write((db) => holdLease(db, 'imap:support', 'a', app.now()))).toBe(true);
  expect(await write((db) => holdLease(db, 'imap:support', 'b', app.now()))).toBe(false);
  // Renewal by the holder keeps it; the other still cannot take it.
  app.clock.advance(LEASE_MS - 1000);
  await write((db) => beat(db, 'a', app.now()));
  await write((db) => beat(db, 'b', app.now()));
  expect(await write((db) => holdLease(db, 'imap:support', 'a', app.now()))).toBe(true);
  app.clock.advance(LEASE_MS - 1000);
  await write((db) => beat(db, 'b', app.now()));
  expect(await write((db) => holdLease(db, 'imap:support', 'b', app.now()))).toBe(false);
  // a stops beating: after the worker timeout its lease is free even before the lease expires.
  app.clock.advance(WORKER_TIMEOUT_MS - (LEASE_MS - 1000) + 1);
  await write((db) => beat(db, 'b', app.now()));
  expect(await write((db) => holdLease(db, 'imap:support', 'b', app.now()))).toBe(true);
  expect((await listLeases(app.db)).map((l) => [l.name, l.workerId])).toEqual([['imap:support', 'b']]);
  // A released lease is free at once; a stopped worker's too.
  await write((db) => releaseLease(db, 'imap:support', 'b'));
  await worker('c');
  expect(await write((db) => holdLease(db, 'imap:support', 'c', app.now()))).toBe(true);
  await write((db) => markWorkerStopped(db, 'c', app.now()));
  expect(await write((db) => holdLease(db, 'imap:support', 'b', app.now()))).toBe(true);
  expect(await write((db) => releaseLeasesOf(db, 'b'))).toBe(1);
  expect(await listLeases(app.db)).toEqual([]);
});

it('workers are alive while they beat, dead after the timeout, stopped when they say so', async () => {
  app = await testApp();
  await worker('a');
  await worker('b');
  await write((db) => markWorkerStopped(db, 'b', app.now()));
  expect(await write((db) => beat(db, 'b', app.now()))).toBe(false);
  const states = async () => Object.fromEntries((await listWorkers(app.db)).map((w) => [w.id, workerState(w, app.now())]));
  expect(await states()).toEqual({ a: 'alive', b: 'stopped' });
  app.clock.advance(WORKER_TIMEOUT_MS);
  expect(await states()).toEqual({ a: 'dead', b: 'stopped' });
});

it('each period of a periodic job is claimed once, whichever worker asks first', async () => {
  app = await testApp();
  const period = periodOf(app.now(), 60_000);
  expect(await write((db) => claimPeriod(db, 'sla', period, 'a', app.now()))).toBe(true);
  expect(await write((db) => claimPeriod(db, 'sla', period, 'b', app.now()))).toBe(false);
  expect(await write((db) => claimPeriod(db, 'follow-ups', period, 'b', app.now()))).toBe(true);
  expect(await write((db) => claimPeriod(db, 'sla', period - 1, 'b', app.now()))).toBe(false);
  expect(await write((db) => claimPeriod(db, 'sla', period + 1, 'b', app.now()))).toBe(true);
});
