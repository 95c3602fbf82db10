// Maildir intake as users feed it: `cp` into new/ while `postdesk run` watches, a slow writer, and
// two readers of one folder. Real processes, on the suite's database (cliDataDir); an App on the same
// data directory reads what they stored.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { POSTDESK_BIN, cleanEnv, postdeskAsync } from '../helpers/cli.ts';
import { cliDataDir, tempDir, testApp } from '../helpers/test-app.ts';
import { countOf, rowsOf } from '../helpers/db-rows.ts';
import { sha256 } from '../../src/store/pack-store.ts';
import { REPO_ROOT } from '../helpers/shared-corpora.ts';

async function storedHashes(dataDir: string): Promise<{ messages: string[]; quarantined: number }> {
  const app = await testApp({}, { dataDir });
  try {
    const messages = await rowsOf<{ sha: string }>(app, "SELECT raw_sha256 AS sha FROM messages WHERE direction = 'in'");
    return { messages: messages.map((m) => m.sha).sort(), quarantined: await countOf(app, 'SELECT count(*) AS n FROM quarantine') };
  } finally {
    await app.close();
  }
}

/** A mail of about `bytes` bytes, each line different, so that a torn read cannot pass for it. */
function bigMail(i: number, bytes: number): Buffer {
  const lines = Array.from({ length: Math.ceil(bytes / 64) }, (_v, n) => `line ${n} of mail ${i}: ${'x'.repeat(40)}`);
  return buildMail({ from: `Customer ${i} <c${i}@customer.example>`, subject: `Big mail ${i}`, messageId: `big-${i}@customer.example`, text: lines.join('\r\n') });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('Maildir intake under a running service', () => {
  it('stores whole every mail copied with cp and every mail written in slow chunks', async () => {
    const { dataDir, args } = await cliDataDir();
    const source = tempDir('postdesk-mails-');
    const mails = Array.from({ length: 10 }, (_v, i) => bigMail(i, 300 * 1024));
    mails.forEach((m, i) => fs.writeFileSync(path.join(source, `mail-${i}.eml`), m));
    const slow = bigMail(99, 100 * 1024);

    const child = postdeskAsync(['run', ...args]);
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const newDir = path.join(dataDir, 'inbox', 'new');
    await waitFor(async () => /watching .*inbox[/\\]new/.test(log), 30_000, 'the service to watch the inbox');

    // One writer that takes 1.5 s for its mail, next to plain cp 0.3 s apart.
    const slowWriter = (async () => {
      const fd = fs.openSync(path.join(newDir, 'slow.eml'), 'w');
      const chunk = Math.ceil(slow.length / 10);
      for (let i = 0; i < 10; i++) {
        fs.writeSync(fd, slow.subarray(i * chunk, (i + 1) * chunk));
        await sleep(150);
      }
      fs.closeSync(fd);
    })();
    for (let i = 0; i < 10; i++) {
      execFileSync('cp', [path.join(source, `mail-${i}.eml`), newDir]);
      await sleep(300);
    }
    await slowWriter;

    const expected = [...mails, slow].map(sha256).sort();
    await waitFor(async () => (await storedHashes(dataDir)).messages.length >= 11, 60_000, `11 stored mails; log:\n${log}`);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await storedHashes(dataDir)).toEqual({ messages: expected, quarantined: 0 });
    expect(fs.readdirSync(newDir)).toEqual([]);
    // Each mail wakes the sender and the inbox loop; a wait woken early must not leave a listener behind.
    expect(log).not.toMatch(/MaxListenersExceededWarning/);
    expect(fs.readdirSync(path.join(dataDir, 'inbox', 'cur'))).toHaveLength(11);
  });
});

describe('two readers of one Maildir', () => {
  it('both exit 0 and every mail is stored exactly once', async () => {
    const { dataDir, args } = await cliDataDir();
    const maildir = tempDir('postdesk-maildir-');
    for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, sub));
    for (let i = 0; i < 300; i++) {
      const name = `${1_700_000_000 + i}.M${i}P1.test`;
      fs.writeFileSync(path.join(maildir, 'new', name), buildMail({ from: `c${i}@customer.example`, subject: `Mail ${i}`, messageId: `m${i}@customer.example` }));
    }
    const run = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [POSTDESK_BIN, 'ingest', '--json', '--maildir', maildir, ...args], { env: cleanEnv(), cwd: REPO_ROOT });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.stdout.resume();
        child.once('exit', (code) => resolve({ code, stderr }));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a).toEqual({ code: 0, stderr: '' });
    expect(b).toEqual({ code: 0, stderr: '' });
    expect((await storedHashes(dataDir)).messages).toHaveLength(300);
    expect(fs.readdirSync(path.join(maildir, 'new'))).toEqual([]);
    expect(fs.readdirSync(path.join(maildir, 'cur'))).toHaveLength(300);
  });
});

describe('files in new/ that are not mails yet', () => {
  it('leaves an empty file where it is: never stored, never quarantined, never moved', async () => {
    const { dataDir, args } = await cliDataDir();
    const maildir = tempDir('postdesk-maildir-');
    for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, sub));
    fs.writeFileSync(path.join(maildir, 'new', 'empty.eml'), '');
    fs.writeFileSync(path.join(maildir, 'new', 'other-empty.eml'), '');
    fs.writeFileSync(path.join(maildir, 'new', 'mail.eml'), buildMail({ from: 'ann@customer.example', messageId: 'whole@customer.example' }));
    const old = new Date(Date.now() - 5000);
    fs.utimesSync(path.join(maildir, 'new', 'mail.eml'), old, old);
    const out = spawnSyncPostdesk(['ingest', '--json', '--maildir', maildir, ...args]);
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual(['created']);
    expect(await storedHashes(dataDir)).toMatchObject({ quarantined: 0, messages: [expect.any(String)] });
    expect(fs.readdirSync(path.join(maildir, 'new')).sort()).toEqual(['empty.eml', 'other-empty.eml']);
  });
});

function spawnSyncPostdesk(args: string[]) {
  return spawnSync(process.execPath, [POSTDESK_BIN, ...args], { env: cleanEnv(), cwd: REPO_ROOT, encoding: 'utf8' });
}
