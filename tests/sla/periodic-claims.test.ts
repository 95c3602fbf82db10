// Periodic work (SLA tick, follow-ups, weekly report) with two workers on one database: each period's
// pass runs on one of them, and the mails it queues are queued once.
import { afterEach, expect, it } from 'vitest';
import type { Logger } from '../../src/app.ts';
import { followUpLoop } from '../../src/follow-up/loop.ts';
import { weeklyReportLoop } from '../../src/reports/weekly-mail.ts';
import type { Loop } from '../../src/service/run.ts';
import { periodicLoop, slaLoop } from '../../src/sla/loop.ts';
import { rowsOf } from '../helpers/db-rows.ts';
import { testDatabaseIsPostgres } from '../helpers/test-database.ts';
import { testApp, testClock, type TestApp, type TestClock } from '../helpers/test-app.ts';
import { HOUR, receive } from './sla-helpers.ts';

const config = {
  timeZone: 'Europe/Berlin',
  agents: [
    { name: 'Ann Agent', email: 'ann@desk.example' },
    { name: 'Ben Lead', email: 'ben@desk.example', lead: true },
  ],
  sla: { leads: ['boss@desk.example'], weeklyReport: { weekday: 'mon' as const, time: '08:00' } },
};

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** Two workers on one database (SQLite: one data directory; PostgreSQL: one database, two pools), on one clock. */
async function twoWorkers(clock: TestClock): Promise<[TestApp, TestApp]> {
  const a = await testApp(config, { clock });
  const b = await testApp(config, { clock, dataDir: a.config.dataDir });
  // Two Apps of one process opened in the same millisecond would share an id.
  a.worker = { ...a.worker, id: `${a.worker.id}/a` };
  b.worker = { ...b.worker, id: `${b.worker.id}/b` };
  apps.push(a, b);
  return [a, b];
}

/**
 * Runs each loop's first pass, as when the workers start. On PostgreSQL all at once. On SQLite one
 * after another: two Apps in one thread cannot both be in a transaction on one file (the second's
 * BEGIN IMMEDIATE blocks the thread the first needs to commit), and processes take turns anyway.
 */
async function firstPasses(loops: Loop[]): Promise<void> {
  const once = (loop: Loop) => {
    const stop = new AbortController();
    const running = loop.run(stop.signal);
    stop.abort(); // after its first pass, the loop sleeps no more and ends
    return running;
  };
  if (testDatabaseIsPostgres()) await Promise.all(loops.map(once));
  else for (const loop of loops) await once(loop);
}

function logTo(lines: string[]): Logger {
  return { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}

it('runs each period of a periodic job on one worker only', async () => {
  const clock = testClock();
  const workers = await twoWorkers(clock);
  const passes: string[] = [];
  const loops = workers.map((app) => periodicLoop(app, 'job', () => 60_000, async () => void passes.push(app.worker.id)));

  await firstPasses(loops);
  expect(passes).toHaveLength(1);
  clock.advance(59_999); // same period: nobody runs it again
  await firstPasses(loops);
  expect(passes).toHaveLength(1);
  clock.advance(1);
  await firstPasses(loops);
  expect(passes).toHaveLength(2);
});

it('queues SLA warnings and the weekly report once when two workers run their loops at once', async () => {
  const clock = testClock('2026-11-02T09:00:00Z'); // a Monday, after the report's 08:00
  const [a, b] = await twoWorkers(clock);
  await receive(a);
  clock.advance(18 * HOUR); // 75 % of the 24 h first-response target: the warning is due
  const lines: string[] = [];
  a.log = b.log = logTo(lines);

  await firstPasses([a, b].flatMap((app) => [slaLoop(app), followUpLoop(app), weeklyReportLoop(app)]));

  const queued = await rowsOf<{ kind: string; recipient: string }>(a, "SELECT kind, recipient FROM outbox WHERE kind IN ('sla-warning', 'weekly-report') ORDER BY kind, recipient");
  expect(queued).toEqual([
    { kind: 'sla-warning', recipient: 'ann@desk.example' },
    { kind: 'sla-warning', recipient: 'ben@desk.example' },
    { kind: 'weekly-report', recipient: 'ben@desk.example' },
    { kind: 'weekly-report', recipient: 'boss@desk.example' },
  ]);
  expect(lines.sort()).toEqual(['sla: 1 warning(s), 0 breach notice(s)', 'weekly report queued for boss@desk.example, ben@desk.example']);
  // Each job's period claimed by one of the two.
  const claims = await rowsOf<{ name: string; worker_id: string }>(a, 'SELECT name, worker_id FROM periodic_runs ORDER BY name');
  expect(claims.map((c) => c.name)).toEqual(['follow-ups', 'sla clock', 'weekly report']);
  for (const claim of claims) expect([a.worker.id, b.worker.id]).toContain(claim.worker_id);
});
