// Crash safety of the drain order (fetch → ingest → settle → checkpoint): the poller is killed with
// SIGKILL at 10 random moments of a 2,000-mail drain and restarted each time; in the end every mail
// is stored exactly once and sits exactly once in Postdesk/Processed.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inTransaction, openApp, silentLogger, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { pollMailboxOnce } from '../../src/intake/imap/poll-once.ts';
import { listWorkers, markWorkerStopped } from '../../src/store/workers.ts';
import { describeEachImapServer, type ImapServer } from '../harness/imap-server.ts';
import { imapServerKinds } from '../harness/imap-servers.ts';
import { postdesk, postdeskAsync } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';
import { countRows, inbound, processedMessageIds, testDatabaseEnv, threadedMails } from './support.ts';

const user = { user: 'crash', password: 'crash-pw' };
const MAILS = 2000;
const KILLS = 10;

describeEachImapServer(imapServerKinds, 'IMAP intake under SIGKILL', (kind) => {
  let server: ImapServer;
  beforeAll(async () => {
    server = await kind.start([user]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`stores ${MAILS} mails exactly once although the poller is killed ${KILLS} times`, { timeout: 240_000 }, async () => {
    const data = tempDir();
    // The one-mailbox setup by environment variables, as a container would run it.
    const env = { POSTDESK_ADDRESS: 'support@example.com', POSTDESK_IMAP_URL: server.url(user), ...(await testDatabaseEnv()) };
    const openData = () => openApp({ config: loadConfig({ dataDir: data, env, cwd: data }), log: silentLogger });
    const starting = await openData();
    await pollMailboxOnce(starting, starting.mailboxes[0]); // the first start sets the checkpoint
    await starting.close();
    await server.append(user, 'INBOX', threadedMails(MAILS / 4, 4, 'k'));

    const killedAfter: number[] = [];
    const supervisor = await openData();
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const child = postdeskAsync(['poll', '--once', '--data', data], { env, cwd: data });
        // A random number of stored mails, then a random few milliseconds more: the kill lands in
        // any step, between fetch, ingest, settle and checkpoint.
        const lines = await linesThenKill(child, 1 + Math.floor(Math.random() * 120), Math.random() * 40);
        killedAfter.push(lines);
        // The killed poller still holds the mailbox's lease; the next would wait for it to run out
        // (mailbox-lease.test.ts shows that): told the process is gone, it starts at once.
        await markStopped(supervisor, child.pid!);
      }
    } finally {
      await supervisor.close();
    }
    const last = postdesk(['poll', '--once', '--data', data], { env, cwd: data });
    expect(last.status, last.stderr).toBe(0);
    expect(killedAfter.filter((n) => n > 0), `kills after ${killedAfter.join(', ')} mails`).toHaveLength(KILLS);

    const app = await openData();
    try {
      expect(await inbound(app)).toBe(MAILS);
      expect(await countRows(app, 'tickets')).toBe(MAILS / 4);
      expect(await countRows(app, 'quarantine')).toBe(0);
    } finally {
      await app.close();
    }
    expect(await server.count(user, 'INBOX')).toBe(0);
    const processed = await processedMessageIds(server, user);
    expect(processed.distinct).toBe(MAILS);
    // Without MOVE (Courier) a settle is COPY, then \Deleted and EXPUNGE: a kill between them leaves
    // the batch in INBOX (50 mails at most), and the next settle copies it again. The database still
    // holds each mail once.
    if ((await server.capabilities(user)).has('MOVE')) expect(processed.total).toBe(MAILS);
    else expect(processed.total).toBeLessThanOrEqual(MAILS + KILLS * 50);
  });
});

async function markStopped(app: App, pid: number): Promise<void> {
  await inTransaction(app, async ({ db }) => {
    for (const worker of await listWorkers(db)) if (worker.pid === pid && !worker.stoppedAt) await markWorkerStopped(db, worker.id, app.now());
  });
}

/** Waits for `lines` result lines of a `poll --once` child, waits `extraMs`, kills it with SIGKILL. */
function linesThenKill(child: ChildProcess, lines: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let stderr = '';
    let killing = false;
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').filter((l) => /^(created|appended|duplicate)/.test(l)).length;
      if (seen >= lines && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`poll --once ended by itself (code ${code}) after ${seen} mails before the kill:\n${stderr}`));
    });
  });
}
