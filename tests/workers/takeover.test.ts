// Mailbox takeover between two `postdesk run` workers on one PostgreSQL database: the worker holding
// the mailbox's lease is killed with SIGKILL, and the other must store the next mail within 15 s
// (lease timeout plus the retry); stopped with SIGTERM, the holder releases its lease as it exits and
// the other takes the mailbox over at once, long before a lease would time out.
import { afterEach, beforeAll, afterAll, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.ts';
import { describeWithPostgres } from '../harness/postgres.ts';
import { dovecot } from '../harness/dovecot.ts';
import type { ImapServer, ImapUser } from '../harness/imap-server.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { testDatabaseConfig } from '../helpers/test-database.ts';
import { imapMailbox, singleMail } from '../imap/support.ts';
import { SharedDatabase, waitUntil, Worker, type LeaseView } from './support.ts';

const killed = { user: 'killed', password: 'killed-pw' };
const stopped = { user: 'stopped', password: 'stopped-pw' };
/** The issue's promise for a dead holder's mailbox. */
const TAKEOVER_AFTER_KILL_MS = 15_000;
/** "At once": well under the 10 s lease, only the others' acquisition retry (about 1 s) and a connect. */
const TAKEOVER_AFTER_SIGTERM_MS = 5_000;

describeWithPostgres('mailbox takeover between workers (PostgreSQL, Dovecot)', () => {
  let server: ImapServer;
  let smtp: SmtpCapture;
  let db: SharedDatabase | undefined;
  let workers: Worker[] = [];

  beforeAll(async () => {
    const missing = dovecot.missing();
    if (missing) throw new Error(missing);
    server = await dovecot.start([killed, stopped]);
    smtp = await SmtpCapture.start();
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await db?.close();
    db = undefined;
  });
  afterAll(async () => {
    await smtp?.down();
    await server?.stop();
  });

  /** Two workers on a fresh database with one mailbox; resolves with the one that holds its lease, once the mailbox is checkpointed. */
  async function twoWorkers(user: ImapUser): Promise<{ holder: Worker; other: Worker; database: SharedDatabase }> {
    const database = await testDatabaseConfig();
    if (!database) throw new Error('the several-workers tests run in the PostgreSQL half of the suite (npm run test:postgres)');
    db = new SharedDatabase(database.url as string);
    const config: ConfigFile = { database, smtp: smtp.config, mailboxes: [imapMailbox(server, user, 'support')] };
    workers = [new Worker('w1', config), new Worker('w2', config)];
    workers.forEach((w) => w.start());
    const shared = db;
    let lease: LeaseView | undefined;
    await waitUntil(
      'a worker to hold the mailbox and checkpoint it',
      async () => {
        [lease] = (await shared.leases()).filter((l) => l.name === 'imap:support' && l.alive);
        return lease !== undefined && (await shared.checkpointed()) === 1;
      },
      60_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${workers.map((w) => `--- ${w.name}:\n${w.log}`).join('\n')}`);
    });
    const holder = workers.find((w) => w.pid === lease!.pid);
    if (!holder) throw new Error(`the lease is held by pid ${lease!.pid}, none of the workers (${workers.map((w) => w.pid).join(', ')})`);
    return { holder, other: workers.find((w) => w !== holder)!, database: shared };
  }

  it(`stores the next mail within ${TAKEOVER_AFTER_KILL_MS / 1000} s after the mailbox holder is killed with SIGKILL`, { timeout: 120_000 }, async () => {
    const { holder, other, database } = await twoWorkers(killed);
    await server.append(killed, 'INBOX', [singleMail('before-kill')]);
    await waitUntil('the first mail stored', async () => (await database.inbound()) === 1, 15_000);

    const killedAt = Date.now();
    await holder.stop('SIGKILL');
    await server.append(killed, 'INBOX', [singleMail('after-kill')]);
    await waitUntil('the mail after the kill stored', async () => (await database.inbound()) === 2, 30_000, 50);
    const takeoverMs = Date.now() - killedAt;

    const [lease] = await database.leases();
    console.log(`takeover after SIGKILL of the holder: next mail stored ${(takeoverMs / 1000).toFixed(1)} s after the kill (limit ${TAKEOVER_AFTER_KILL_MS / 1000} s)`);
    expect(lease).toMatchObject({ name: 'imap:support', pid: other.pid, alive: true });
    expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_AFTER_KILL_MS);
    expect(await server.count(killed, 'INBOX')).toBe(0);
  });

  it(`hands the mailbox over within ${TAKEOVER_AFTER_SIGTERM_MS / 1000} s when the holder is stopped with SIGTERM`, { timeout: 120_000 }, async () => {
    const { holder, other, database } = await twoWorkers(stopped);
    const holderPid = holder.pid;
    const stoppedAt = Date.now();
    await holder.stop('SIGTERM');
    const exitedMs = Date.now() - stoppedAt;
    // Released on the way out: no lease names the stopped worker, and its workers row says stopped.
    expect((await database.leases()).filter((l) => l.pid === holderPid)).toEqual([]);
    expect(await database.count('SELECT count(*) AS n FROM workers WHERE pid = $1 AND stopped_at IS NULL', [holderPid])).toBe(0);

    await waitUntil('the other worker to take the mailbox', async () => (await database.leases()).some((l) => l.name === 'imap:support' && l.pid === other.pid && l.alive), 30_000, 50);
    const takeoverMs = Date.now() - stoppedAt;
    await server.append(stopped, 'INBOX', [singleMail('after-stop')]);
    await waitUntil('the mail after the stop stored', async () => (await database.inbound()) === 1, 15_000, 50);
    const storedMs = Date.now() - stoppedAt;

    console.log(`takeover after SIGTERM of the holder: it exited after ${(exitedMs / 1000).toFixed(1)} s, the other held the mailbox ${(takeoverMs / 1000).toFixed(1)} s after the signal (limit ${TAKEOVER_AFTER_SIGTERM_MS / 1000} s), a new mail was stored ${(storedMs / 1000).toFixed(1)} s after it`);
    expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_AFTER_SIGTERM_MS);
  });
});
