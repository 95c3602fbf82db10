// Two senders on one database, registered as workers `a` and `b`, and a queue of mails for them:
// the setup of the outbox-claim tests (tests/outbound/outbox-claims.test.ts, tests/workers/).
import { afterAll, afterEach, beforeAll } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { claimNextOutbox, insertOutbox } from '../../src/store/outbox.ts';
import { registerWorker } from '../../src/store/workers.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { testDatabaseIsPostgres } from '../helpers/test-database.ts';
import { tempDir, testApp, testClock, type TestApp } from '../helpers/test-app.ts';

const LEASE_MS = 5 * 60_000;

export interface OutboxWorkersSuite {
  /** The SMTP server both senders deliver to; emptied after each test. */
  readonly smtp: SmtpCapture;
  /** Two senders (Apps) on one database and one clock, registered as workers `a` and `b`; closed after the test. */
  twoWorkers(): Promise<[TestApp, TestApp]>;
}

/** The suite's SMTP capture and its senders, started and closed by the suite's hooks. */
export function outboxWorkersSuite(): OutboxWorkersSuite {
  let smtp: SmtpCapture | undefined;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    smtp = await SmtpCapture.start();
  });
  afterAll(() => smtp?.down());
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    smtp!.mails.length = 0;
  });
  return {
    get smtp() {
      return smtp!;
    },
    twoWorkers: () => twoWorkers(smtp!, apps),
  };
}

async function twoWorkers(smtp: SmtpCapture, apps: TestApp[]): Promise<[TestApp, TestApp]> {
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

export async function queue(app: TestApp, count: number): Promise<string[]> {
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

export const claim = (app: TestApp) => inTransaction(app, ({ db }) => claimNextOutbox(db, app.worker.id, app.now(), new Date(app.now().getTime() + LEASE_MS)));
