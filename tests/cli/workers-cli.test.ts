// `postdesk workers` lists the `postdesk run` processes sharing the database (the suite's: SQLite,
// and PostgreSQL in its run), each as it is: alive while it beats, stopped after SIGTERM (holding
// nothing then), dead after kill -9, with what it holds.
import os from 'node:os';
import { afterEach, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { insertOutbox } from '../../src/store/outbox.ts';
import { holdLease } from '../../src/store/leases.ts';
import { WORKER_TIMEOUT_MS } from '../../src/store/workers.ts';
import { rowsOf } from '../helpers/db-rows.ts';
import { postdesk, postdeskAsync, waitForOutput } from '../helpers/cli.ts';
import { cliDataDir, testApp, type TestApp } from '../helpers/test-app.ts';

interface ListedWorker {
  id: string;
  host: string;
  pid: number;
  state: string;
  heartbeatAt: string;
  leases: string[];
  outboxClaims: number[];
}

let app: TestApp | undefined;
afterEach(() => app?.close());

async function startRun(args: string[]) {
  const child = postdeskAsync(['run', ...args]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitForOutput(child, /postdesk running/, 30_000);
  return { child, exited };
}

function workers(args: string[]): ListedWorker[] {
  const r = postdesk(['workers', '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

it('lists a running worker alive with what it holds, stopped and holding nothing after SIGTERM, dead after kill -9', async () => {
  const { dataDir, args } = await cliDataDir();
  expect(postdesk(['workers', ...args]).stdout).toBe('no worker has run on this database (workers are `postdesk run` processes)\n');

  const first = await startRun(args);
  const [listed] = workers(args);
  expect(listed).toMatchObject({ host: os.hostname(), pid: first.child.pid, state: 'alive', leases: [], outboxClaims: [] });
  expect(listed.id).toMatch(new RegExp(`^${os.hostname()}:${first.child.pid}:\\d{4}-\\d\\d-\\d\\dT`));
  // A lease it holds (as an IMAP intake would) is listed with it, and given up when it stops.
  app = await testApp({}, { dataDir });
  expect(await inTransaction(app, ({ db }) => holdLease(db, 'imap:support', listed.id, new Date()))).toBe(true);
  expect(postdesk(['workers', ...args]).stdout).toMatch(new RegExp(`^${listed.id}  alive  heartbeat \\d+ s ago  holds imap:support\\n$`));

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(workers(args)).toMatchObject([{ id: listed.id, state: 'stopped', leases: [], outboxClaims: [] }]);

  // Killed without a word: dead once its heartbeat is older than the timeout, still holding its claim.
  const second = await startRun(args);
  second.child.kill('SIGKILL');
  await second.exited;
  const killed = workers(args).find((w) => w.pid === second.child.pid)!;
  const claimed = await inTransaction(app, async ({ db }) => {
    const id = await insertOutbox(db, { ticketId: null, kind: 'test', messageId: 'claimed@desk.example', recipient: 'ann@customer.example', mail: { subject: 'x' }, nextAttemptAt: new Date(), createdAt: new Date() });
    await rowsOf({ db }, 'UPDATE outbox SET claimed_by = ? WHERE id = ? RETURNING id', killed.id, id);
    return id;
  });
  const later = new Date(Date.parse(killed.heartbeatAt) + WORKER_TIMEOUT_MS + 1000).toISOString();
  expect(workers(['--now', later, ...args]).map((w) => [w.id, w.state, w.outboxClaims])).toEqual([
    [listed.id, 'stopped', []],
    [killed.id, 'dead', [claimed]],
  ]);
  expect(postdesk(['--now', later, 'workers', ...args]).stdout).toContain(`${killed.id}  dead     heartbeat 11 s ago  holds outbox mail(s) ${claimed}\n`);
}, 120_000);

it('leaves no row for a one-shot command (outbox flush, poll --once from cron): it takes part while it runs, then is gone', async () => {
  const { args } = await cliDataDir();
  for (let i = 0; i < 3; i++) {
    const flush = postdesk(['outbox', 'flush', ...args]);
    expect(flush.stderr).toBe('');
    expect(flush.status).toBe(0);
    const poll = postdesk(['poll', '--once', ...args]);
    expect(poll.status).toBe(0);
  }
  expect(workers(args)).toEqual([]);
});
