// Several workers on one PostgreSQL, under SIGKILL: three `postdesk run` processes (each its own data
// directory, as on three machines) share one database, two Dovecot mailboxes and one SMTP relay
// (captured in process). 2,000 mails arrive over time; while they do, every 2–4 s a random worker is
// killed with SIGKILL and started again. In the end: every mail stored once, one ticket per conversation, every
// acknowledgement and SLA notice delivered once (a resend with the same Message-ID is allowed once per
// kill: a kill after the relay accepted but before the send was recorded), both INBOXes emptied into
// Processed, and no lease left with a dead worker.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/config/schema.ts';
import { describeWithPostgres } from '../harness/postgres.ts';
import { dovecot } from '../harness/dovecot.ts';
import type { ImapServer } from '../harness/imap-server.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { testDatabaseConfig } from '../helpers/test-database.ts';
import { imapMailbox, processedMessageIds, threadedMails } from '../imap/support.ts';
import { SharedDatabase, sleepMs, waitUntil, Worker } from './support.ts';

const WORKERS = 3;
const THREADS = 250;
const PER_THREAD = 4;
const boxes = [
  { name: 'alpha', user: { user: 'alpha', password: 'alpha-pw' } },
  { name: 'beta', user: { user: 'beta', password: 'beta-pw' } },
];
const MAILS = boxes.length * THREADS * PER_THREAD;
const LEAD = 'lead@example.com';

describeWithPostgres('several workers under SIGKILL (PostgreSQL, Dovecot)', () => {
  let server: ImapServer;
  let smtp: SmtpCapture;
  let db: SharedDatabase;
  let workers: Worker[] = [];

  beforeAll(async () => {
    const missing = dovecot.missing();
    if (missing) throw new Error(missing);
    server = await dovecot.start(boxes.map((b) => b.user));
    smtp = await SmtpCapture.start();
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await db?.close();
    await smtp?.down();
    await server?.stop();
  });

  it(`stores ${MAILS} mails and sends every acknowledgement once while workers are killed every 2–4 s`, { timeout: 300_000 }, async () => {
    const database = await testDatabaseConfig();
    if (!database) throw new Error('the several-workers tests run in the PostgreSQL half of the suite (npm run test:postgres)');
    db = new SharedDatabase(database.url as string);
    const config: ConfigFile = {
      database,
      smtp: smtp.config,
      mailboxes: boxes.map((b) => imapMailbox(server, b.user, b.name)),
      // Every conversation is one customer at customer.example: the loop guard must not hold acknowledgements back.
      outbound: { senderIntervalSeconds: 0.5, maxAutoMailsPerDomainPerHour: 1_000_000, maxAgentNotificationsPerWindow: 1_000_000 },
      // A first-response target of a few seconds: breach notices fall due during the run, so the
      // SLA tick's claim per period is under the same chaos.
      sla: { tickIntervalSeconds: 1, leads: [LEAD], policies: [{ firstResponseHours: 0.002, nextResponseHours: 0.002 }] },
    };
    workers = Array.from({ length: WORKERS }, (_, i) => new Worker(`w${i + 1}`, config));
    workers.forEach((w) => w.start());
    // Mail is taken from the first start on: wait until both folders have their checkpoint.
    await waitUntil('both mailboxes checkpointed', async () => (await db.checkpointed()) === boxes.length, 60_000).catch((err) => {
      throw new Error(`${(err as Error).message}\n${workers.map((w) => `--- ${w.name}:\n${w.log}`).join('\n')}`);
    });

    const started = Date.now();
    const at = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    let killing = true;
    const kills: string[] = [];
    const chaos = (async () => {
      while (killing) {
        await sleepMs(2000 + Math.random() * 2000);
        if (!killing) break;
        const victim = workers[Math.floor(Math.random() * workers.length)];
        kills.push(`${victim.name}@${at()}`);
        await victim.stop('SIGKILL');
        victim.start();
      }
    })();
    // What a failure message needs: stored mails and mailbox holders over time.
    const timeline: string[] = [];
    const watching = setInterval(() => {
      void Promise.all([db.inbound(), db.leases()]).then(([n, leases]) => {
        const holders = leases.map((l) => `${l.name}=${workers.find((w) => w.pid === l.pid)?.name ?? `pid ${l.pid}`}${l.alive ? '' : ' (dead)'}`);
        timeline.push(`${at()}: ${n} stored; ${holders.join(', ')}`);
      });
    }, 2000);

    // Both mailboxes receive their conversations in small batches, 100–300 ms apart.
    await Promise.all(
      boxes.map(async (box) => {
        const mails = threadedMails(THREADS, PER_THREAD, box.name);
        const client = await server.client(box.user);
        try {
          for (let i = 0; i < mails.length; ) {
            const batch = mails.slice(i, (i += 3 + Math.floor(Math.random() * 10)));
            for (const mail of batch) await client.append('INBOX', mail);
            await sleepMs(100 + Math.random() * 200);
          }
        } finally {
          await client.logout();
        }
      }),
    );
    // The kills go on while mail arrives; then the workers drain what is left in peace.
    const appended = Date.now();
    killing = false;
    await chaos;
    try {
      await waitUntil(`${MAILS} mails stored`, async () => (await db.inbound()) >= MAILS, 90_000, 250);
    } catch (err) {
      throw new Error(`${(err as Error).message}; kills ${kills.join(', ')}\n${timeline.join('\n')}`);
    } finally {
      clearInterval(watching);
    }
    const stored = Date.now();
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    console.log(`chaos: ${MAILS} mails appended in ${seconds(appended - started)} s, all stored after ${seconds(stored - started)} s, ${kills.length} SIGKILLs so far`);
    // Quiet: nothing left to send, no notice still to come, the relay has seen no new mail for 3 s.
    let lastCaptured = -1;
    let quietSince = Date.now();
    let waiting = '';
    await waitUntil(
      'the workers to fall quiet',
      async () => {
        const pending = await db.count(`SELECT count(*) AS n FROM outbox WHERE status = 'queued'`);
        const due = await db.count(`SELECT count(*) AS n FROM sla_clocks WHERE stopped_at IS NULL AND breached_at IS NULL AND due_at <= now()`);
        waiting = `${pending} outbox rows queued, ${due} SLA clocks past due without notice, ${smtp.mails.length} mails at the relay`;
        if (smtp.mails.length !== lastCaptured || pending > 0 || due > 0) {
          lastCaptured = smtp.mails.length;
          quietSince = Date.now();
        }
        return Date.now() - quietSince >= 3000;
      },
      60_000,
      250,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}: ${waiting}`);
    });
    const quiet = Date.now();

    // Every mail once; one ticket per conversation, each conversation in one ticket.
    expect(await db.inbound()).toBe(MAILS);
    expect(await db.count(`SELECT count(DISTINCT message_id) AS n FROM messages WHERE direction = 'in'`)).toBe(MAILS);
    expect(await db.count('SELECT count(*) AS n FROM quarantine')).toBe(0);
    expect(await db.count('SELECT count(*) AS n FROM tickets')).toBe(boxes.length * THREADS);
    const split = await db.rows(
      `SELECT regexp_replace(subject, '^Re: ', '') AS conversation, count(DISTINCT ticket_id) AS tickets
         FROM messages WHERE direction = 'in' GROUP BY 1 HAVING count(DISTINCT ticket_id) <> 1 OR count(*) <> ${PER_THREAD}`,
    );
    expect(split, 'conversations spread over several tickets or missing mails').toEqual([]);

    // Each ticket got one acknowledgement and one breach notice queued; the outbox is drained.
    const doubled = await db.rows(`SELECT ticket_id, kind, count(*) AS n FROM outbox GROUP BY ticket_id, kind, recipient HAVING count(*) > 1`);
    expect(doubled, 'two outbox rows of one kind for one ticket and recipient').toEqual([]);
    const kinds = await db.rows<{ kind: string; status: string; n: string }>(`SELECT kind, status, count(*) AS n FROM outbox GROUP BY kind, status ORDER BY kind, status`);
    expect(kinds.map((k) => `${k.kind} ${k.status} ${k.n}`)).toEqual([`acknowledgement sent ${boxes.length * THREADS}`, `sla-breach sent ${boxes.length * THREADS}`]);

    // The relay saw each outbox mail; a Message-ID seen twice is a resend.
    const queued = new Set((await db.rows<{ message_id: string }>('SELECT message_id FROM outbox')).map((r) => r.message_id));
    const captured = new Map<string, number>();
    for (const mail of smtp.mails) {
      const id = (mail.parsed.messageId ?? '').replace(/^<|>$/g, '');
      captured.set(id, (captured.get(id) ?? 0) + 1);
    }
    expect([...captured.keys()].filter((id) => !queued.has(id)), 'mail the relay got that is not in the outbox').toEqual([]);
    expect([...queued].filter((id) => !captured.has(id)), 'outbox mail the relay never got').toEqual([]);
    const resends = [...captured.values()].reduce((sum, n) => sum + n - 1, 0);

    // Both INBOXes emptied, each mail once in Processed.
    for (const box of boxes) {
      expect(await server.count(box.user, 'INBOX'), `${box.name} INBOX`).toBe(0);
      const processed = await processedMessageIds(server, box.user);
      expect(processed, `${box.name} Processed`).toEqual({ total: MAILS / boxes.length, distinct: MAILS / boxes.length });
    }

    // No lease is left with a dead worker: each mailbox's lease is held by a running worker.
    const running = new Set(workers.map((w) => w.pid));
    const leases = await db.leases();
    expect(leases.filter((l) => !l.alive || !running.has(l.pid)), 'leases held by dead or stopped workers').toEqual([]);
    expect(leases.filter((l) => l.name.startsWith('imap:')).map((l) => l.name)).toEqual(boxes.map((b) => `imap:${b.name}`));

    console.log(
      [
        `chaos: ${WORKERS} workers, ${MAILS} mails over ${boxes.length} mailboxes, ${kills.length} SIGKILLs (${kills.join(', ')})`,
        `  appended in ${seconds(appended - started)} s, all stored after ${seconds(stored - started)} s, quiet after ${seconds(quiet - started)} s`,
        `  ${smtp.mails.length} mails at the relay for ${queued.size} outbox rows: ${resends} resends (same Message-ID), allowed ≤ ${kills.length} (one per kill)`,
      ].join('\n'),
    );
    expect(resends, 'resends beyond one per kill').toBeLessThanOrEqual(kills.length);
    expect(kills.length).toBeGreaterThanOrEqual(5);
  });
});
