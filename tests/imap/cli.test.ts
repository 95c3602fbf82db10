// The IMAP commands as an operator uses them: `run` refusing to start with no usable mailbox,
// `poll --once` draining the good mailbox while naming the bad one, `imap status`, `imap backfill`.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachImapServer, type ImapServer } from '../harness/imap-server.ts';
import { imapServerKinds } from '../harness/imap-servers.ts';
import { cleanEnv, jsonLines, POSTDESK_BIN, postdesk, postdeskAsync } from '../helpers/cli.ts';
import { cliDataDir, tempDir } from '../helpers/test-app.ts';
import { imapMailbox, singleMail, testDatabaseEnv, waitFor } from './support.ts';

const good = { user: 'desk', password: 'desk-pw' };
const other = { user: 'sales', password: 'sales-pw' };
const wrongSales = { user: other.user, password: 'wrong' };

async function configDir(mailboxes: ReturnType<typeof imapMailbox>[]) {
  const { dataDir, args: dataArgs } = await cliDataDir({ mailboxes });
  const cli = (...args: string[]) => postdesk([...args, ...dataArgs], { cwd: dataDir });
  return Object.assign(cli, { dataArgs });
}

describeEachImapServer(imapServerKinds, 'IMAP commands', (kind) => {
  let server: ImapServer;
  beforeAll(async () => {
    server = await kind.start([good, other]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('run exits non-zero when no mailbox can work, naming the mailbox', async () => {
    const cli = await configDir([imapMailbox(server, wrongSales, 'sales')]);
    const run = cli('run');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/mailbox sales: IMAP login as sales at 127\.0\.0\.1:\d+ was refused/);
  });

  it('run takes mail from the IMAP mailbox as it arrives and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const env = { POSTDESK_ADDRESS: 'support@example.com', POSTDESK_IMAP_URL: server.url(other), ...(await testDatabaseEnv()) };
    const run = postdeskAsync(['run', '--data', dir], { env, cwd: dir });
    let stderr = '';
    run.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => run.once('exit', resolve));
    await waitFor('the first start', () => /mailbox support: connected/.test(stderr));
    await server.append(other, 'INBOX', [singleMail('while-running')]);
    await waitFor('the mail to be stored', () => /created #\d+: imap:support\/\d+/.test(stderr));
    run.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Which database and which worker, so that an admin of several knows what runs where.
    expect(stderr).toMatch(/postdesk running on (postgres:\/\/127\.0\.0\.1:\d+\/\w+|\/.*\/postdesk\.sqlite) as worker [^:\s]+:\d+:\S+: .*imap support/);
  });

  it('poll --once drains the good mailbox, fails on the bad one; imap status and backfill report per mailbox', async () => {
    const cli = await configDir([imapMailbox(server, good, 'support'), imapMailbox(server, wrongSales, 'sales')]);
    await server.append(good, 'INBOX', [singleMail('before-start')]);
    const client = await server.client(good);
    await client.append('INBOX', singleMail('history'), [], new Date('2026-09-20T10:00:00Z'));
    await client.logout();

    const first = cli('poll', '--once', '--json');
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/error: mailbox sales: IMAP login as sales .* was refused/);
    expect(first.stdout).toBe(''); // first start: the two mails already there are history

    await server.append(good, 'INBOX', [singleMail('live-1'), singleMail('live-2')]);
    const waiting = jsonLines<Record<string, unknown>>(cli('imap', 'status', '--json').stdout)[0] as unknown as Record<string, unknown>[];
    expect(waiting).toEqual([
      expect.objectContaining({ mailbox: 'support', connected: true, lastUid: 2, waiting: 2, uidValidity: expect.any(String) }),
      expect.objectContaining({ mailbox: 'sales', connected: false, error: expect.stringMatching(/mailbox sales: IMAP login/) }),
    ]);

    const second = cli('poll', '--once', '--json', '--mailbox', 'support');
    expect(second.status, second.stderr).toBe(0);
    expect(jsonLines(second.stdout).map((r) => r.status)).toEqual(['created', 'created']);

    const status = cli('imap', 'status', '--mailbox', 'support');
    expect(status.stdout).toMatch(/^support \(INBOX\): connected; UIDVALIDITY \d+, last UID 4, 0 waiting, lag 0 s/);

    const backfill = cli('imap', 'backfill', '--mailbox', 'support', '--since', '2026-10-01');
    expect(backfill.status, backfill.stderr).toBe(0);
    expect(backfill.stdout).toMatch(/^created #\d+: imap:support\/1\n/m);
    expect(backfill.stdout).toMatch(/backfill of support: 1 mail\(s\) imported without acknowledgements/);
  });

  it('backfill shows a progress bar on a terminal', async () => {
    const cli = await configDir([imapMailbox(server, good, 'support')]);
    await server.append(good, 'INBOX', [singleMail('tty-history')]);
    expect(cli('poll', '--once').status).toBe(0);
    // script(1) gives the command a pseudo-terminal, as a person running it would have.
    const args = ['imap', 'backfill', '--mailbox', 'support', '--since', '2000-01-01'];
    const command = [process.execPath, POSTDESK_BIN, ...args, ...cli.dataArgs].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: cleanEnv() });
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/backfill \[[█░]+\] \d+\/\d+ mails/);
  });
});
