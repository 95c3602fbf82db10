// IMAP intake against each real IMAP server the harness can start (Dovecot, Cyrus, Courier): every
// mail becomes a message exactly once, whatever the mailbox's flags, the folder's UIDVALIDITY, the
// server's uptime or the folders an operator made by hand.
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { backfillMailbox } from '../../src/intake/imap/backfill.ts';
import { clientOptions, imapConfigOf } from '../../src/intake/imap/connection.ts';
import { pollMailboxOnce } from '../../src/intake/imap/poll-once.ts';
import { imapIntakeLoop, watchMailbox } from '../../src/intake/imap/watch-loop.ts';
import { getMailbox } from '../../src/store/mailboxes.ts';
import { listQuarantine, rawOfQuarantined } from '../../src/store/quarantine.ts';
import { describeEachImapServer, type ImapServer, type ImapUser } from '../harness/imap-server.ts';
import { imapServerKinds } from '../harness/imap-servers.ts';
import { rowsOf } from '../helpers/db-rows.ts';
import { testApp } from '../helpers/test-app.ts';
import { countRows, imapMailbox, inbound, recordingLogger, singleMail, threadedMails, waitFor } from './support.ts';

const users = Object.fromEntries(
  ['threads', 'idle', 'seen', 'backfill', 'oversize', 'validity', 'restart', 'good', 'other', 'empty', 'byhand', 'compress'].map((u) => [u, { user: u, password: `${u}-pw` }]),
) as Record<string, ImapUser>;
const FAST_RECONNECT = { backoff: { baseMs: 200, capMs: 2000 } };

describeEachImapServer(imapServerKinds, 'IMAP intake', (kind) => {
  let server: ImapServer;
  const opened: App[] = [];
  const stops: AbortController[] = [];

  async function appFor(...mailboxes: ReturnType<typeof imapMailbox>[]) {
    const app = await testApp({ mailboxes, ingest: { maxMessageBytes: 64 * 1024 } });
    opened.push(app);
    return app;
  }

  function watch(app: App, mailbox = app.mailboxes[0]) {
    const stop = new AbortController();
    stops.push(stop);
    const done = watchMailbox(app, mailbox, stop.signal, FAST_RECONNECT);
    return { stop: () => (stop.abort(), done), done };
  }

  beforeAll(async () => {
    server = await kind.start(Object.values(users));
  });
  afterEach(() => {
    for (const s of stops.splice(0)) s.abort();
  });
  afterAll(async () => {
    for (const app of opened) await app.close();
    await server?.stop();
  });

  it('turns 200 APPENDed mails into 200 messages in 50 threads, and moves them to Postdesk/Processed', async () => {
    const u = users.threads;
    const app = await appFor(imapMailbox(server, u));
    await pollMailboxOnce(app, app.mailboxes[0]); // first start on the empty folder: the checkpoint
    await server.append(u, 'INBOX', threadedMails(50, 4));
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(200);
    expect(await inbound(app)).toBe(200);
    expect(await countRows(app, 'tickets')).toBe(50);
    const perTicket = await rowsOf<{ n: number }>(app, "SELECT count(*) AS n FROM messages WHERE direction = 'in' GROUP BY ticket_id");
    expect(perTicket.every((t) => Number(t.n) === 4)).toBe(true);
    expect(await server.count(u, 'INBOX')).toBe(0);
    expect(await server.count(u, 'Postdesk/Processed')).toBe(200);
    expect((await getMailbox(app.db, app.mailboxes[0].id))?.lastUid).toBe(200);
  });

  it('stores a mail APPENDed while idling within 2 s (IDLE, not the poll interval)', async () => {
    const u = users.idle;
    const app = await appFor(imapMailbox(server, u, 'support', { pollIntervalSeconds: 600 }));
    const stored: number[] = [];
    app.events.on('ingested', () => stored.push(Date.now()));
    const watcher = watch(app);
    await waitFor('the first start', async () => (await getMailbox(app.db, app.mailboxes[0].id))?.lastUid !== null);
    for (const id of ['idle-1', 'idle-2', 'idle-3']) {
      await new Promise((r) => setTimeout(r, 300)); // let IDLE begin after the previous drain
      const appended = Date.now();
      const count = stored.length;
      await server.append(u, 'INBOX', [singleMail(id)]);
      await waitFor(`${id} stored`, () => stored.length > count, 10_000);
      expect(stored[count] - appended).toBeLessThan(2000);
    }
    await watcher.stop();
    expect(await inbound(app)).toBe(3);
  });

  it('takes 30 new mails and 10 that a person already read (\\Seen): fetched by UID, not by UNSEEN', async () => {
    const u = users.seen;
    const app = await appFor(imapMailbox(server, u));
    await pollMailboxOnce(app, app.mailboxes[0]);
    await server.append(u, 'INBOX', Array.from({ length: 10 }, (_, i) => singleMail(`read-first-${i}`)), ['\\Seen']);
    await server.append(u, 'INBOX', Array.from({ length: 30 }, (_, i) => singleMail(`unread-${i}`)));
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(40);
    expect(await countRows(app, 'messages', "direction = 'in' AND message_id LIKE 'read-first-%'")).toBe(10);
    expect(await inbound(app)).toBe(40);
    expect(await server.count(u, 'INBOX')).toBe(0);
    expect(await server.count(u, 'Postdesk/Processed')).toBe(40);
  });

  it('first start takes only new mail; backfill imports older mail since a date, without acknowledgements', async () => {
    const u = users.backfill;
    const app = await appFor(imapMailbox(server, u));
    const client = await server.client(u);
    await client.append('INBOX', singleMail('ancient'), [], new Date('2025-01-10T10:00:00Z'));
    for (const id of ['old-1', 'old-2', 'old-3']) await client.append('INBOX', singleMail(id), [], new Date('2026-10-05T10:00:00Z'));
    await client.logout();
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(0);
    expect(await server.count(u, 'INBOX')).toBe(4);

    await server.append(u, 'INBOX', [singleMail('new-after-start')]);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(1);
    const outboxAfterLive = await countRows(app, 'outbox');

    expect(await backfillMailbox(app, app.mailboxes[0], new Date('2026-10-01'))).toBe(3);
    expect(await inbound(app)).toBe(4);
    expect(await countRows(app, 'messages', "direction = 'in' AND message_id = 'ancient@customer.example'")).toBe(0);
    expect(await countRows(app, 'outbox')).toBe(outboxAfterLive); // quiet: nobody is written to about history
    expect(await server.count(u, 'INBOX')).toBe(1); // only the mail before --since stays
  });

  it('quarantines a mail above the size limit once, keeps its raw and moves it to Postdesk/Failed', async () => {
    const u = users.oversize;
    const app = await appFor(imapMailbox(server, u));
    await pollMailboxOnce(app, app.mailboxes[0]);
    await server.append(u, 'INBOX', [singleMail('huge', { text: 'x'.repeat(100 * 1024) }), singleMail('small')]);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(2);
    const held = await listQuarantine(app.db);
    expect(held).toHaveLength(1);
    expect(held[0].reason).toMatch(/too large/);
    expect((await app.raw.get(rawOfQuarantined(held[0]))).length).toBe(held[0].rawSize);
    expect(await server.count(u, 'Postdesk/Failed')).toBe(1);
    expect(await server.count(u, 'INBOX')).toBe(0);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(0);
    expect(await listQuarantine(app.db)).toHaveLength(1);
  });

  it('a watched folder deleted and recreated with the same mails (new UIDVALIDITY) doubles nothing', async () => {
    const u = users.validity;
    const app = await appFor(imapMailbox(server, u, 'support', { folder: 'Support', afterStore: 'flag' }));
    const log = recordingLogger();
    app.log = log;
    const mails = threadedMails(5, 2, 'v');
    await server.append(u, 'Support', []);
    await pollMailboxOnce(app, app.mailboxes[0]);
    await server.append(u, 'Support', mails);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(10);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(0); // flagged mail stays, below the checkpoint
    const before = (await getMailbox(app.db, app.mailboxes[0].id))!.uidValidity;

    await server.recreateFolder(u, 'Support');
    await server.append(u, 'Support', [...mails, singleMail('after-recreate')]);

    const results: string[] = [];
    expect(await pollMailboxOnce(app, app.mailboxes[0], { onResult: (r) => results.push(r.status) })).toBe(11);
    expect(results.filter((s) => s === 'duplicate')).toHaveLength(10);
    expect(await inbound(app)).toBe(11);
    expect((await getMailbox(app.db, app.mailboxes[0].id))!.uidValidity).not.toBe(before);
    expect(log.lines.filter((l) => /keeps no \$Postdesk keyword/.test(l))).toEqual([]); // the server keeps keywords
  });

  it('recovers from a server restart in the middle of a drain: every mail stored once and settled, the outage logged once', async () => {
    const u = users.restart;
    const app = await appFor(imapMailbox(server, u));
    const log = recordingLogger();
    app.log = log;
    await pollMailboxOnce(app, app.mailboxes[0]);
    await server.append(u, 'INBOX', threadedMails(100, 3, 'r'));
    const watcher = watch(app);
    await waitFor('the drain to begin', async () => (await inbound(app)) >= 30);
    const beforeRestart = await inbound(app);
    await server.restart();
    expect(beforeRestart).toBeLessThan(300);
    await waitFor('all 300 mails', async () => (await inbound(app)) === 300, 90_000);
    await waitFor('the settled folders', async () => (await server.count(u, 'INBOX')) === 0);
    await watcher.stop();
    expect(await server.count(u, 'Postdesk/Processed')).toBe(300);
    expect(await countRows(app, 'tickets')).toBe(100);
    expect(log.lines.filter((l) => l.includes('IMAP connection failed'))).toHaveLength(1);
    expect(log.lines.filter((l) => l.includes('connected again'))).toHaveLength(1);
  });

  it('an empty folder: first start, poll and backfill each find nothing and fail nothing', async () => {
    const u = users.empty;
    const app = await appFor(imapMailbox(server, u));
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(0);
    expect((await getMailbox(app.db, app.mailboxes[0].id))?.lastUid).toBe(0);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(0);
    expect(await backfillMailbox(app, app.mailboxes[0], new Date('2000-01-01'))).toBe(0);
    await server.append(u, 'INBOX', [singleMail('first-ever')]);
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(1);
  });

  it('works with Postdesk/Processed and Postdesk/Failed created beforehand by hand, on every connection', async () => {
    const u = users.byhand;
    await server.createFolder(u, 'Postdesk/Processed');
    await server.createFolder(u, 'Postdesk/Failed');
    const app = await appFor(imapMailbox(server, u));
    await pollMailboxOnce(app, app.mailboxes[0]);
    for (const id of ['by-hand-1', 'by-hand-2']) {
      await server.append(u, 'INBOX', [singleMail(id)]);
      expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(1); // a new connection each time
    }
    expect(await server.count(u, 'Postdesk/Processed')).toBe(2);
    expect(await server.count(u, 'INBOX')).toBe(0);
  });

  it(`${kind.offersCompress ? 'negotiates' : 'does without'} COMPRESS=DEFLATE with the intake's own client options, and drains`, async () => {
    const u = users.compress;
    const app = await appFor(imapMailbox(server, u));
    expect((await server.capabilities(u)).has('COMPRESS=DEFLATE')).toBe(kind.offersCompress);
    const sent: string[] = [];
    const read: string[] = [];
    const keep = (entry: { src?: string; msg?: string }) => void (entry.src === 'c' ? sent : entry.src === 's' ? read : []).push(entry.msg ?? '');
    const logger = { debug: keep, info: keep, warn: keep, error: keep, trace: keep };
    const client = new ImapFlow({ ...clientOptions('support', imapConfigOf(app, app.mailboxes[0])), logger });
    await client.connect();
    await client.logout();
    const tag = sent.find((l) => / COMPRESS DEFLATE$/.test(l))?.split(' ')[0];
    if (kind.offersCompress) expect(read.some((l) => l.startsWith(`${tag} OK`))).toBe(true);
    else expect(tag).toBeUndefined();

    await pollMailboxOnce(app, app.mailboxes[0]);
    await server.append(u, 'INBOX', threadedMails(5, 2, 'z'));
    expect(await pollMailboxOnce(app, app.mailboxes[0])).toBe(10);
  });

  it('a wrong password stops only its own mailbox, with an error naming it; all wrong ends the loop', async () => {
    const good = imapMailbox(server, users.good, 'support');
    const wrong = imapMailbox(server, { user: users.other.user, password: 'not-the-password' }, 'sales');
    const app = await appFor(good, wrong);
    const log = recordingLogger();
    app.log = log;
    const stop = new AbortController();
    const running = imapIntakeLoop(app, app.mailboxes, FAST_RECONNECT).run(stop.signal);
    await waitFor('the good mailbox to start', async () => (await getMailbox(app.db, app.mailboxes[0].id))?.lastUid !== null);
    await server.append(users.good, 'INBOX', [singleMail('still-works')]);
    await waitFor('the mail of the good mailbox', async () => (await inbound(app)) === 1);
    // Servers slow a refused login down (Cyrus answers it after a few seconds): wait for the verdict.
    await waitFor('the refused login', () => log.lines.some((l) => l.startsWith('error:')));
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([
      expect.stringMatching(/^error: mailbox sales: IMAP login as other at 127\.0\.0\.1:\d+ was refused/),
    ]);
    stop.abort();
    await expect(running).resolves.toBeUndefined();

    const allWrong = await appFor(wrong);
    allWrong.log = recordingLogger();
    await expect(imapIntakeLoop(allWrong, allWrong.mailboxes).run(new AbortController().signal)).rejects.toThrow(/no mailbox can work: mailbox sales/);
  });
});
