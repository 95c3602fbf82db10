// Settle checks its result: imapflow answers a refused MOVE or STORE with `false`, not an error. A
// mail whose settle still fails after the retries keeps the checkpoint below it, is counted as
// unsettled, and a later drain settles it (the mail itself comes back as a duplicate).
import { ImapFlow } from 'imapflow';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.ts';
import { imapConfigOf } from '../../src/intake/imap/connection.ts';
import { drainNew } from '../../src/intake/imap/drain.ts';
import { pollMailboxOnce } from '../../src/intake/imap/poll-once.ts';
import type { ImapSession } from '../../src/intake/imap/session.ts';
import { imapStatus } from '../../src/intake/imap/status.ts';
import { unsettledUids } from '../../src/intake/imap/unsettled.ts';
import { watchMailbox } from '../../src/intake/imap/watch-loop.ts';
import { getMailbox } from '../../src/store/mailboxes.ts';
import { dovecot as dovecotKind } from '../harness/dovecot.ts';
import { describeEachImapServer, type ImapUser } from '../harness/imap-server.ts';
import { testApp } from '../helpers/test-app.ts';
import { imapMailbox, inbound, recordingLogger, singleMail, waitFor, serverFor } from './support.ts';

const opened: App[] = [];
afterAll(async () => {
  for (const app of opened) await app.close();
});

/** A server session over three mails whose MOVE answers `false` while `refuse` is set. */
function fakeSession(app: App, afterStore: 'move' | 'flag' = 'move') {
  const inbox = new Map([1, 2, 3].map((uid) => [uid, singleMail(`fake-${uid}`)]));
  const server = { refuse: true, moves: 0 };
  const answer = async (uids: number[]) => {
    server.moves += 1;
    if (server.refuse) return false;
    for (const uid of uids) inbox.delete(uid);
    return afterStore === 'move' ? { path: 'INBOX', destination: 'Postdesk/Processed' } : true;
  };
  const client = {
    noop: async () => {},
    fetchAll: async (range: string | number[], query: { source?: boolean }) => {
      const uids = Array.isArray(range) ? range : [...inbox.keys()].filter((uid) => uid >= Number(String(range).split(':')[0]));
      return uids.filter((uid) => inbox.has(uid)).map((uid) => (query.source ? { uid, source: inbox.get(uid) } : { uid, size: inbox.get(uid)!.length }));
    },
    messageMove: (uids: number[]) => answer(uids),
    messageFlagsAdd: (uids: number[]) => answer(uids),
    list: async () => [],
    mailboxCreate: async () => ({ created: false }),
  };
  const mailbox = app.mailboxes[0];
  const session = {
    app,
    mailbox,
    imap: imapConfigOf(app, mailbox),
    client,
    folders: { processed: 'Postdesk/Processed', failed: 'Postdesk/Failed' },
    checkpoint: { uidValidity: '7', lastUid: 0 },
  } as unknown as ImapSession;
  return { session, server, inbox };
}

async function appWithImap(afterStore: 'move' | 'flag' = 'move') {
  const app = await testApp({ mailboxes: [{ name: 'support', address: 'support@example.com', imap: { host: '127.0.0.1', tls: 'none', user: 'u', password: 'p', afterStore } }] });
  app.log = recordingLogger();
  opened.push(app);
  return app;
}

describe('settle checks its result', () => {
  it('a move answered with false keeps the checkpoint below the mails; the next drain settles them as duplicates', async () => {
    const app = await appWithImap();
    const { session, server, inbox } = fakeSession(app);
    expect(await drainNew(session)).toBe(3);
    expect(server.moves).toBe(3); // the first try and two more
    expect((await getMailbox(app.db, app.mailboxes[0].id))?.lastUid ?? 0).toBe(0);
    expect(session.checkpoint.lastUid).toBe(0);
    expect(await unsettledUids(app, app.mailboxes[0], '7')).toEqual([1, 2, 3]);
    expect((app.log as ReturnType<typeof recordingLogger>).lines).toEqual([
      expect.stringMatching(/^warn: mailbox support: could not move 3 mail\(s\) to Postdesk\/Processed \(the server refused it, 3 tries\); they are stored and stay in INBOX until a later drain/),
    ]);

    server.refuse = false;
    const results: string[] = [];
    expect(await drainNew(session, { onResult: (r) => results.push(r.status) })).toBe(3);
    expect(results).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(inbox.size).toBe(0);
    expect((await getMailbox(app.db, app.mailboxes[0].id))?.lastUid).toBe(3);
    expect(await unsettledUids(app, app.mailboxes[0], '7')).toEqual([]);
    expect(await inbound(app)).toBe(3);
  });

  it('a flag answered with false holds the checkpoint the same way', async () => {
    const app = await appWithImap('flag');
    const { session, server } = fakeSession(app, 'flag');
    await drainNew(session);
    expect(session.checkpoint.lastUid).toBe(0);
    server.refuse = false;
    await drainNew(session);
    expect(session.checkpoint.lastUid).toBe(3);
  });
});

const users = Object.fromEntries(['refused', 'deleted'].map((u) => [u, { user: u, password: `${u}-pw` }])) as Record<string, ImapUser>;

describeEachImapServer([dovecotKind], 'settle against a server that refuses a move', () => {
  const dovecot = serverFor(dovecotKind, Object.values(users));

  it('mails whose first settle failed stay in INBOX, counted as unsettled; the next poll moves them, each stored once', async () => {
    const u = users.refused;
    const mailboxes = [imapMailbox(dovecot(), u)];
    const dovecotApp = await testApp({ mailboxes });
    opened.push(dovecotApp);
    dovecotApp.log = recordingLogger();
    await pollMailboxOnce(dovecotApp, dovecotApp.mailboxes[0]);
    await dovecot().append(u, 'INBOX', [1, 2, 3, 4, 5].map((i) => singleMail(`refused-${i}`)));

    // The server refuses the first settle and both retries, as imapflow reports it: false.
    const move = ImapFlow.prototype.messageMove;
    let refusals = 3;
    vi.spyOn(ImapFlow.prototype, 'messageMove').mockImplementation(function (this: ImapFlow, ...args) {
      return refusals-- > 0 ? Promise.resolve(false) : move.apply(this, args);
    });
    expect(await pollMailboxOnce(dovecotApp, dovecotApp.mailboxes[0])).toBe(5); // ends: nothing it can do now
    expect(await dovecot().count(u, 'INBOX')).toBe(5);
    const status = await imapStatus(dovecotApp, dovecotApp.mailboxes[0]);
    expect(status).toMatchObject({ waiting: 5, unsettled: 5 });

    const results: string[] = [];
    expect(await pollMailboxOnce(dovecotApp, dovecotApp.mailboxes[0], { onResult: (r) => results.push(r.status) })).toBe(5);
    expect(results).toEqual(Array(5).fill('duplicate'));
    expect(await inbound(dovecotApp)).toBe(5);
    expect(await dovecot().count(u, 'INBOX')).toBe(0);
    expect(await dovecot().count(u, 'Postdesk/Processed')).toBe(5);
    expect(await imapStatus(dovecotApp, dovecotApp.mailboxes[0])).toMatchObject({ waiting: 0, unsettled: 0 });
  });

  it('a processed folder deleted while watching is made again by the retry, and the mail still moves', async () => {
    const u = users.deleted;
    const app = await testApp({ mailboxes: [imapMailbox(dovecot(), u, 'support', { pollIntervalSeconds: 600 })] });
    opened.push(app);
    const move = ImapFlow.prototype.messageMove;
    const answers: unknown[] = [];
    vi.spyOn(ImapFlow.prototype, 'messageMove').mockImplementation(async function (this: ImapFlow, ...args) {
      answers.push(await move.apply(this, args));
      return answers[answers.length - 1] as Awaited<ReturnType<ImapFlow['messageMove']>>;
    });
    const stop = new AbortController();
    const watching = watchMailbox(app, app.mailboxes[0], stop.signal, { backoff: { baseMs: 200, capMs: 2000 } });
    await waitFor('the first start', async () => (await getMailbox(app.db, app.mailboxes[0].id))?.lastUid != null);
    const client = await dovecot().client(u);
    await client.mailboxDelete('Postdesk/Processed');
    await client.logout();
    await dovecot().append(u, 'INBOX', [singleMail('after-delete')]);
    await waitFor('the mail to be moved', async () => (await dovecot().count(u, 'Postdesk/Processed')) === 1, 15_000);
    stop.abort();
    await watching;
    expect(await dovecot().count(u, 'INBOX')).toBe(0);
    expect(answers).toEqual([false, expect.objectContaining({ destination: 'Postdesk/Processed' })]); // refused, then after the folder was made
    expect(await inbound(app)).toBe(1);
    expect((await getMailbox(app.db, app.mailboxes[0].id))?.lastUid).toBe(1);
  });
});
