// One worker at a time drains an IMAP mailbox: two workers (each with its own identity, sharing one
// database) watch the same mailbox; one drains, the other stands by and takes over when the first
// stops (at once) or is cut off from the database (after the lease timeout). A worker that lost the
// lease cannot move the checkpoint, and `poll --once` refuses a mailbox another worker drains.
// With several mailboxes the workers share them: each drains its fair share, ceil(mailboxes / workers).
import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inTransaction, type App, type AppEvents } from '../../src/app.ts';
import type { IngestResult } from '../../src/inbound/ingest-result.ts';
import { drainNew } from '../../src/intake/imap/drain.ts';
import { closeSession, openSession } from '../../src/intake/imap/session.ts';
import { FREE_GRACE_MS } from '../../src/intake/imap/fair-share.ts';
import { imapIntakeLoop } from '../../src/intake/imap/watch-loop.ts';
import { holdLease, LEASE_MS, listLeases, releaseLease } from '../../src/store/leases.ts';
import { getMailbox, saveImapCheckpoint } from '../../src/store/mailboxes.ts';
import type { Transactions } from '../../src/store/transactions.ts';
import { joinWorkers, type Membership } from '../../src/workers/membership.ts';
import { HEARTBEAT_MS } from '../../src/store/workers.ts';
import { dovecot } from '../harness/dovecot.ts';
import { describeEachImapServer, type ImapServer, type ImapUser } from '../harness/imap-server.ts';
import { postdesk } from '../helpers/cli.ts';
import { cliDataDir, testApp, type TestApp, type TestClock } from '../helpers/test-app.ts';
import { imapMailbox, inbound, recordingLogger, singleMail, threadedMails, waitFor } from './support.ts';

/**
 * "At once": well before the lease would have run out, the only other way a mailbox comes free. The
 * margins below are wide on purpose: on a loaded 2-core CI machine a connect can take seconds, and
 * what these tests tell apart is release against expiry, not speed (bench:workers measures that).
 */
const AT_ONCE_MS = LEASE_MS / 2;

const users = Object.fromEntries(['one', 'stop', 'cut', 'fence', 'cli', 'share1', 'share2', 'share3', 'grace1', 'grace2'].map((u) => [u, { user: `lease-${u}`, password: `${u}-pw` }])) as Record<string, ImapUser>;
const FAST_RECONNECT = { backoff: { baseMs: 200, capMs: 2000 } };

/** Leases and heartbeats are judged by the clock: these tests run on the real one, like workers do. */
function realClock(): TestClock {
  return { now: () => new Date(), set() {}, advance() {} };
}

/** A worker in this process: the App's database, its own identity, log and events; `cut` makes its transactions fail. */
interface Worker {
  app: App;
  log: ReturnType<typeof recordingLogger>;
  stored: number;
  cut: boolean;
  watch(): Promise<void>;
  /** Like SIGTERM: the intake ends after the mail in hand, then the worker leaves (releases its leases, marked stopped). */
  stop(): Promise<void>;
}

describeEachImapServer([dovecot], 'IMAP mailbox lease', () => {
  let server: ImapServer;
  const opened: TestApp[] = [];
  const running: { stop: AbortController; watching?: Promise<unknown>; membership: Membership }[] = [];

  async function appFor(u: ImapUser | ImapUser[], dataDir?: string) {
    const mailboxes = Array.isArray(u) ? u.map((user) => imapMailbox(server, user, user.user.replace('lease-', ''))) : [imapMailbox(server, u)];
    const app = await testApp({ mailboxes }, { clock: realClock(), dataDir });
    opened.push(app);
    return app;
  }

  async function workerOf(app: App, name: string): Promise<Worker> {
    const log = recordingLogger();
    const events = new EventEmitter<AppEvents>();
    const stop = new AbortController();
    const entry: Partial<(typeof running)[number]> = { stop };
    const w: Worker = {
      app,
      log,
      stored: 0,
      cut: false,
      watch: () => (entry.watching = imapIntakeLoop(w.app, w.app.mailboxes, FAST_RECONNECT).run(stop.signal)),
      async stop() {
        stop.abort();
        await entry.watching;
        await entry.membership!.leave();
      },
    };
    const transactions: Transactions = {
      ...app.transactions,
      run: (work) => (w.cut ? Promise.reject(new Error('database connection lost')) : app.transactions.run(work)),
    };
    w.app = { ...app, log, events, transactions, worker: { ...app.worker, id: `${app.worker.id}/${name}`, startedAt: new Date() } };
    events.on('ingested', (r: IngestResult) => void (r.status !== 'duplicate' && (w.stored += 1)));
    entry.membership = await joinWorkers(w.app);
    running.push(entry as (typeof running)[number]);
    return w;
  }

  const said = (w: Worker, pattern: RegExp) => w.log.lines.filter((l) => pattern.test(l)).length;
  const connected = /^info: mailbox support: connected/;
  const connected2 = /^info: mailbox grace\d: connected/;
  const holder = async (app: App) => (await listLeases(app.db)).find((l) => l.name === 'imap:support')?.workerId;
  /** How many mailboxes each worker holds. */
  const holdings = async (...ws: Worker[]) => {
    const leases = await listLeases(ws[0].app.db);
    return ws.map((w) => leases.filter((l) => l.workerId === w.app.worker.id).length);
  };
  /** Appends one mail every `everyMs` to the mailboxes in turn, until the returned function is called (it resolves with the count). */
  function appendMeanwhile(who: ImapUser[], everyMs: number): () => Promise<number> {
    let appended = 0;
    let going = true;
    const appending = (async () => {
      while (going) {
        const user = who[appended % who.length];
        await server.append(user, 'INBOX', [singleMail(`${user.user}-${appended}`)]);
        appended += 1;
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
    return async () => {
      going = false;
      await appending;
      return appended;
    };
  }

  beforeAll(async () => {
    server = await dovecot.start(Object.values(users));
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      r.stop.abort();
      await r.watching;
      await r.membership.leave().catch(() => {});
    }
  });
  afterAll(async () => {
    for (const app of opened) await app.close();
    await server?.stop();
  });

  it('one worker drains the mailbox while the other stands by; each mail is stored once', async () => {
    const app = await appFor(users.one);
    const [a, b] = [await workerOf(app, 'a'), await workerOf(app, 'b')];
    void a.watch();
    await waitFor('a to connect', () => said(a, connected) === 1);
    void b.watch();
    await waitFor('b to stand by', () => said(b, /standing by/) > 0, 5000);
    expect(b.log.lines).toEqual([`info: mailbox support is drained by worker ${a.app.worker.id}; standing by`]);

    await server.append(users.one, 'INBOX', threadedMails(10, 3, 'one'));
    await waitFor('30 mails stored', async () => (await inbound(app)) === 30);
    await server.append(users.one, 'INBOX', [singleMail('one-late')]);
    await waitFor('the 31st mail', async () => (await inbound(app)) === 31);
    await new Promise((r) => setTimeout(r, 2500)); // b asks again every second: still one line, still no session
    expect([a.stored, b.stored]).toEqual([31, 0]);
    expect(said(b, /standing by/)).toBe(1);
    expect(said(b, connected)).toBe(0);
    expect(await holder(app)).toBe(a.app.worker.id);
  });

  it('a worker that stops releases the mailbox: the other takes it over at once', async () => {
    const app = await appFor(users.stop);
    const [a, b] = [await workerOf(app, 'a'), await workerOf(app, 'b')];
    void a.watch();
    await waitFor('a to connect', () => said(a, connected) === 1);
    void b.watch();
    await waitFor('b to stand by', () => said(b, /standing by/) > 0, 5000);
    await server.append(users.stop, 'INBOX', [singleMail('stop-1')]);
    await waitFor('a to store the mail', () => a.stored === 1);

    await a.stop();
    const stopped = Date.now();
    await waitFor('b to take over', () => said(b, connected) === 1, AT_ONCE_MS);
    const takeover = Date.now() - stopped;
    expect(takeover).toBeLessThan(AT_ONCE_MS);
    expect(await holder(app)).toBe(b.app.worker.id);
    await server.append(users.stop, 'INBOX', [singleMail('stop-2'), singleMail('stop-3')]);
    await waitFor('b to store the new mail', () => b.stored === 2);
    expect(await inbound(app)).toBe(3);
    console.log(`graceful takeover: ${takeover} ms`);
  });

  it('a holder cut off from the database loses the mailbox to the other after the lease timeout; nothing is lost or doubled', { timeout: 60_000 }, async () => {
    const app = await appFor(users.cut);
    const [a, b] = [await workerOf(app, 'a'), await workerOf(app, 'b')];
    void a.watch();
    await waitFor('a to connect', () => said(a, connected) === 1);
    void b.watch();
    await waitFor('b to stand by', () => said(b, /standing by/) > 0, 5000);
    await server.append(users.cut, 'INBOX', threadedMails(5, 2, 'cut-before'));
    await waitFor('a to store 10 mails', () => a.stored === 10);

    // a can no longer write: no heartbeat, no lease renewal, no mail stored. Mail keeps arriving.
    a.cut = true;
    const cut = Date.now();
    await server.append(users.cut, 'INBOX', threadedMails(5, 2, 'cut-during'));
    await waitFor('b to take over', () => said(b, connected) === 1, LEASE_MS + 10_000);
    const takeover = Date.now() - cut;
    // Not before the lease (renewed every 3 s) ran out; soon after (b asks every second).
    expect(takeover).toBeGreaterThan(LEASE_MS - HEARTBEAT_MS - 500);
    expect(takeover).toBeLessThan(LEASE_MS + 2500);
    // a stepped back before its lease ran out, so the two never drained at once.
    expect(a.log.lines).toContainEqual(expect.stringMatching(/^warn: mailbox support: its lease could not be renewed for \d+ s \(database connection lost\); standing by$/));
    await waitFor('b to store the mail that arrived meanwhile', () => b.stored === 10);

    // Back in touch, a finds b holding the mailbox and stands by.
    a.cut = false;
    await waitFor('a to stand by', () => a.log.lines.includes(`info: mailbox support is drained by worker ${b.app.worker.id}; standing by`), 5000);
    await server.append(users.cut, 'INBOX', [singleMail('cut-after')]);
    await waitFor('b to store the last mail', () => b.stored === 11);
    expect(await inbound(app)).toBe(21);
    expect(a.stored).toBe(10);
    console.log(`takeover from a worker cut off from the database: ${takeover} ms (lease ${LEASE_MS} ms)`);
  });

  it('a worker that joins later gets its fair share within seconds, and the mailboxes back at once when it stops; each mail is stored once', { timeout: 60_000 }, async () => {
    const boxes = [users.share1, users.share2, users.share3];
    const app = await appFor(boxes);
    const a = await workerOf(app, 'a');
    void a.watch();
    await waitFor('a to connect to all three mailboxes', () => said(a, /^info: mailbox share\d: connected/) === 3);
    const stopAppending = appendMeanwhile(boxes, 150);
    await new Promise((r) => setTimeout(r, 10_000)); // a has held them long enough to hand one over

    const b = await workerOf(app, 'b');
    void b.watch();
    const joined = Date.now();
    // ceil(3 / 2) = 2: a keeps two and hands one over, which b takes.
    await waitFor('a 2 + b 1', async () => (await holdings(a, b)).join('+') === '2+1', 10_000);
    const shared = Date.now() - joined;
    expect(shared).toBeLessThan(HEARTBEAT_MS + 5000); // a's next renewal, b's next ask, a connect
    await waitFor('b to store mail', () => b.stored > 0, 5000);
    expect(a.log.lines.filter((l) => /handed over for balance/.test(l))).toEqual([
      expect.stringMatching(/^info: mailbox share\d: handed over for balance \(this worker holds 3 of 3 mailboxes; the fair share of 2 workers is 2\)$/),
    ]);
    await new Promise((r) => setTimeout(r, 2 * FREE_GRACE_MS)); // and it stays so
    expect(await holdings(a, b)).toEqual([2, 1]);

    await b.stop();
    const stopped = Date.now();
    await waitFor('a to hold all three again', async () => (await holdings(a))[0] === 3, AT_ONCE_MS);
    const back = Date.now() - stopped;
    expect(back).toBeLessThan(AT_ONCE_MS);

    const appended = await stopAppending();
    await waitFor(`all ${appended} mails stored`, async () => (await inbound(app)) === appended, 15_000);
    expect(a.stored + b.stored).toBe(appended);
    console.log(`fair share: b held its share ${shared} ms after joining; a took b's mailbox back ${back} ms after b stopped; ${appended} mails, a stored ${a.stored}, b ${b.stored}`);
  });

  it('a mailbox free that no worker under its share takes is taken after the grace by one at its share', async () => {
    const boxes = [users.grace1, users.grace2];
    const app = await appFor(boxes);
    // Two workers alive, so the fair share is 1; c beats but does not watch (as if slow to start).
    const [a] = [await workerOf(app, 'a'), await workerOf(app, 'c')];
    void a.watch();
    await waitFor('a to connect to a mailbox', () => said(a, connected2) >= 1);
    const first = Date.now();
    await waitFor('a to connect to the other after the grace', () => said(a, connected2) === 2, 10_000);
    const after = Date.now() - first;
    expect(after).toBeGreaterThanOrEqual(FREE_GRACE_MS - 100);
    expect(after).toBeLessThan(FREE_GRACE_MS + 5000);
    expect(await holdings(a)).toEqual([2]);
    await server.append(users.grace2, 'INBOX', [singleMail('grace-2')]);
    await server.append(users.grace1, 'INBOX', [singleMail('grace-1')]);
    await waitFor('both mails stored', () => a.stored === 2);
    console.log(`a free mailbox taken ${after} ms after the first (grace ${FREE_GRACE_MS} ms)`);
  });

  it('a session whose worker lost the lease stores its batch but cannot move the checkpoint', async () => {
    const app = await appFor(users.fence);
    const [a, b] = [await workerOf(app, 'a'), await workerOf(app, 'b')];
    const session = await openSession(a.app, a.app.mailboxes[0]);
    try {
      const before = (await getMailbox(app.db, app.mailboxes[0].id))!.lastUid;
      await inTransaction(b.app, ({ db }) => holdLease(db, 'imap:support', b.app.worker.id, app.now()));
      await server.append(users.fence, 'INBOX', [singleMail('fence-1'), singleMail('fence-2')]);
      await expect(drainNew(session)).rejects.toThrow(`mailbox support: worker ${b.app.worker.id} holds the lease now`);
      expect((await getMailbox(app.db, app.mailboxes[0].id))!.lastUid).toBe(before);
      expect(await inbound(app)).toBe(2); // stored before the checkpoint: kept, and b finds them duplicates
    } finally {
      await closeSession(session);
    }
  });

  it('the checkpoint never moves back within one UIDVALIDITY (two holders racing), only on a new one', async () => {
    const app = await appFor(users.fence);
    const id = app.mailboxes[0].id;
    const save = (validity: string, uid: number) => inTransaction(app, ({ db }) => saveImapCheckpoint(db, id, validity, uid, app.now()));
    await save('7', 40);
    await save('7', 25);
    expect((await getMailbox(app.db, id))!.lastUid).toBe(40);
    await save('7', 41);
    expect((await getMailbox(app.db, id))!.lastUid).toBe(41);
    await save('8', 0);
    expect(await getMailbox(app.db, id)).toMatchObject({ uidValidity: '8', lastUid: 0 });
  });

  it('poll --once refuses a mailbox another worker drains, in one line with exit code 1', async () => {
    const mailboxes = [imapMailbox(server, users.cli)];
    const { dataDir, args } = await cliDataDir({ mailboxes });
    const app = await testApp({ mailboxes }, { clock: realClock(), dataDir });
    opened.push(app);
    const other = await workerOf(app, 'other');
    await inTransaction(other.app, ({ db }) => holdLease(db, 'imap:support', other.app.worker.id, app.now()));
    await server.append(users.cli, 'INBOX', [singleMail('cli-1')]);

    const refused = postdesk(['poll', '--once', ...args], { cwd: dataDir });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(new RegExp(`^\\S+ error: mailbox support is being drained by worker ${escape(other.app.worker.id)} \\(postdesk workers\\)$`));

    await inTransaction(other.app, ({ db }) => releaseLease(db, 'imap:support', other.app.worker.id));
    const polled = postdesk(['poll', '--once', ...args], { cwd: dataDir });
    expect(polled.status, polled.stderr).toBe(0);
    expect(await holder(app)).toBeUndefined(); // released when done
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
