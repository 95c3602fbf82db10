import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { jsonLines, postdesk, postdeskAsync } from '../helpers/cli.ts';
import { countOf, rowsOf } from '../helpers/db-rows.ts';
import { cliDataDir, tempDir, testApp } from '../helpers/test-app.ts';
import { sha256 } from '../../src/store/pack-store.ts';

describe('postdesk ingest and inspection', () => {
  it('prints its version and its commands', () => {
    const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(postdesk(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
    const help = postdesk(['--help']);
    expect(help.status).toBe(0);
    for (const verb of ['run', 'ingest', 'tickets', 'quarantine', 'raw', 'attachment']) expect(help.stdout).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
  });

  it('accepts global options before and after the subcommand', async () => {
    const { dataDir: data, args: [, , ...config] } = await cliDataDir();
    const mail = buildMail({ from: 'Ann <ann@customer.example>', subject: 'Hello', messageId: 'g1@c' });
    const first = postdesk(['ingest', '-', '--json', '--data', data, ...config], { input: mail });
    expect(first.status).toBe(0);
    expect(jsonLines(first.stdout)).toEqual([{ source: 'stdin', status: 'created', ticket: 1000 }]);
    const a = postdesk(['tickets', 'list', '--json', '--data', data, ...config]);
    const b = postdesk(['--data', data, ...config, 'tickets', 'list', '--json']);
    const c = postdesk(['--json', ...config, 'tickets', '--data', data, 'list']);
    expect(JSON.parse(a.stdout)).toHaveLength(1);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });

  it('uses POSTDESK_DATA and shows a ticket with its messages and attachments as JSON', async () => {
    const { dataDir: data } = await cliDataDir();
    const env = { POSTDESK_DATA: data, POSTDESK_CONFIG: path.join(data, 'postdesk.config.json') };
    const lampPhoto = { filename: 'lamp.png', contentType: 'image/png', content: Buffer.from('not really a png') };
    const raw = buildMail({ from: 'Ann Lee <ann@customer.example>', subject: 'Broken lamp', messageId: 'lamp@c', text: 'The lamp flickers. Photo attached.', attachments: [lampPhoto] });
    expect(postdesk(['ingest', '-'], { input: raw, env }).status).toBe(0);
    const show = postdesk(['tickets', 'show', '1000', '--json'], { env });
    const detail = JSON.parse(show.stdout);
    expect(detail).toMatchObject({
      number: 1000,
      subject: 'Broken lamp',
      status: 'new',
      priority: 'normal',
      customer: { email: 'ann@customer.example', name: 'Ann Lee' },
      assignee: null,
      createdAt: expect.any(String),
    });
    expect(detail.messages[0]).toEqual({
      direction: 'in',
      kind: 'customer',
      from: 'ann@customer.example',
      fromName: 'Ann Lee',
      to: ['support@example.com'],
      cc: [],
      subject: 'Broken lamp',
      messageId: 'lamp@c',
      date: '2026-11-02T09:00:00.000Z',
      classification: 'human',
      raw: sha256(raw),
      text: 'The lamp flickers. Photo attached.',
      attachments: [{ filename: 'lamp.png', originalFilename: 'lamp.png', size: 16, contentType: 'image/png', sha256: sha256(Buffer.from('not really a png')) }],
    });
    const photo = postdesk(['attachment', detail.messages[0].attachments[0].sha256], { env });
    expect(photo.stdout).toBe('not really a png');
    expect(postdesk(['attachment', 'e'.repeat(64)], { env })).toMatchObject({ status: 2, stderr: expect.stringMatching(/no kept attachment with sha256 e{64}/) });
    const history = postdesk(['customers', 'show', 'ANN@customer.example', '--json'], { env });
    expect(JSON.parse(history.stdout)).toMatchObject({ email: 'ann@customer.example', tickets: [{ number: 1000, subject: 'Broken lamp' }] });
    expect(postdesk(['tickets', 'show', '4242'], { env })).toMatchObject({ status: 2, stderr: expect.stringMatching(/no ticket #4242/) });
  });

  it('drains a Maildir into tickets, moving each mail to cur/', async () => {
    const { args } = await cliDataDir();
    const maildir = tempDir();
    for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, sub));
    fs.writeFileSync(path.join(maildir, 'new', '1.a'), buildMail({ from: 'a@c.example', messageId: 'md1@c' }));
    fs.writeFileSync(path.join(maildir, 'new', '2.b'), buildMail({ from: 'a@c.example', messageId: 'md2@c', inReplyTo: 'md1@c' }));
    fs.writeFileSync(path.join(maildir, 'new', '3.c'), 'this is not a mail at all');
    const run = postdesk(['ingest', '--maildir', maildir, '--json', ...args]);
    expect(run.status).toBe(0);
    expect(jsonLines(run.stdout).map((r) => r.status)).toEqual(['created', 'appended', 'quarantined']);
    expect(fs.readdirSync(path.join(maildir, 'new'))).toEqual([]);
    expect(fs.readdirSync(path.join(maildir, 'cur')).sort()).toEqual(['1.a:2,S', '2.b:2,S', '3.c:2,S']);
  });

  it('drains a Maildir that has only new/ (cur/ is made), once, without looping', async () => {
    const { args } = await cliDataDir();
    const maildir = tempDir();
    fs.mkdirSync(path.join(maildir, 'new'));
    fs.writeFileSync(path.join(maildir, 'new', '1.a'), buildMail({ from: 'a@c.example', messageId: 'only-new@c' }));
    // Before: the move to the missing cur/ failed as if another reader had taken the mail, and the
    // drain took it again for ever ("duplicate" after "duplicate").
    const run = postdesk(['ingest', '--maildir', maildir, '--json', ...args], { timeoutMs: 20_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).map((r) => r.status)).toEqual(['created']);
    expect(fs.readdirSync(path.join(maildir, 'cur'))).toEqual(['1.a:2,S']);
    expect(fs.statSync(path.join(maildir, 'cur')).mode & 0o777).toBe(0o700);
  });

  it('goes on past a missing file, a directory and an unreadable argument, and exits 66 at the end', async () => {
    const { args } = await cliDataDir();
    const dir = tempDir();
    const a = path.join(dir, 'a.eml');
    const b = path.join(dir, 'b.eml');
    fs.writeFileSync(a, buildMail({ from: 'a@c.example', messageId: 'batch-a@c' }));
    fs.writeFileSync(b, buildMail({ from: 'b@c.example', messageId: 'batch-b@c' }));
    const run = postdesk(['ingest', a, '/nonexistent.eml', dir, b, '--json', ...args]);
    expect(jsonLines(run.stdout)).toEqual([
      { source: a, status: 'created', ticket: 1000 },
      { source: '/nonexistent.eml', status: 'error', reason: 'no such file' },
      { source: dir, status: 'error', reason: 'is a directory, not a mail file' },
      { source: b, status: 'created', ticket: 1001 },
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(66);
    const text = postdesk(['ingest', '/nonexistent.eml', a, ...args]);
    expect(text.stdout).toBe(`error: /nonexistent.eml (no such file)\nduplicate #1000: ${a} (same mail as message 1 in #1000 (Message-ID <batch-a@c>))\n`);
    expect(text.status).toBe(66);
  });

  it('lists quarantined mail and retries it after the cause is fixed', async () => {
    const { dataDir: data } = await cliDataDir();
    // The configuration in the working directory, on the suite's database.
    const { database } = JSON.parse(fs.readFileSync(path.join(data, 'postdesk.config.json'), 'utf8'));
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'postdesk.config.json'), JSON.stringify({ database, ingest: { maxMessageBytes: 200 } }));
    const big = buildMail({ from: 'a@c.example', text: 'x'.repeat(500) });
    const stored = postdesk(['ingest', '-', '--json', '--data', data], { input: big, cwd });
    expect(stored.status).toBe(0);
    expect(jsonLines(stored.stdout)[0]).toMatchObject({ status: 'quarantined', ticket: null, reason: expect.stringMatching(/too large/) });
    const list = JSON.parse(postdesk(['quarantine', 'list', '--json', '--data', data], { cwd }).stdout);
    expect(list).toMatchObject([{ id: 1, reason: expect.stringMatching(/too large/), size: big.length }]);
    expect(postdesk(['raw', list[0].sha256, '--data', data], { cwd }).stdout).toBe(big.toString());

    const still = postdesk(['quarantine', 'retry', '1', '--json', '--data', data], { cwd });
    expect(jsonLines(still.stdout)[0]).toMatchObject({ id: 1, status: 'quarantined' });
    fs.writeFileSync(path.join(cwd, 'postdesk.config.json'), JSON.stringify({ database, ingest: { maxMessageBytes: 10_000 } }));
    const retried = postdesk(['quarantine', 'retry', '--all', '--json', '--data', data], { cwd });
    expect(jsonLines(retried.stdout)[0]).toMatchObject({ id: 1, status: 'created', ticket: 1000 });
    expect(JSON.parse(postdesk(['quarantine', 'list', '--json', '--data', data], { cwd }).stdout)).toEqual([]);

    // Show original: the stored message names its raw mail, which comes back byte for byte.
    const shown = JSON.parse(postdesk(['tickets', 'show', '1000', '--json', '--data', data], { cwd }).stdout);
    expect(shown.messages[0].raw).toBe(list[0].sha256);
    expect(postdesk(['raw', shown.messages[0].raw, '--data', data], { cwd }).stdout).toBe(big.toString());
    const unknown = postdesk(['raw', 'f'.repeat(64), '--data', data], { cwd });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no kept mail with sha256 f{64}/);
  });

  it('survives SIGKILL in the middle of a 500-mail batch: a rerun stores exactly 500, no duplicates', async () => {
    const { dataDir: data, args } = await cliDataDir();
    const dir = tempDir();
    const files = Array.from({ length: 500 }, (_, i) => {
      const file = path.join(dir, `${String(i).padStart(3, '0')}.eml`);
      const thread = Math.floor(i / 5);
      fs.writeFileSync(file, buildMail({ from: `c${thread}@customer.example`, messageId: `k${i}@c`, ...(i % 5 ? { references: [`k${i - 1}@c`] } : {}) }));
      return file;
    });
    const child = postdeskAsync(['ingest', '--json', ...args, ...files]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('\n').length - 1;
      if (seen >= 150) child.kill('SIGKILL');
    });
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    const rerun = postdesk(['ingest', '--json', ...args, ...files]);
    expect(rerun.status).toBe(0);
    const statuses = jsonLines<{ status: string }>(rerun.stdout).map((r) => r.status);
    expect(statuses.filter((s) => s === 'duplicate').length).toBeGreaterThanOrEqual(150);
    const app = await testApp({}, { dataDir: data });
    try {
      const [stored] = await rowsOf<{ n: number; ids: number }>(app, "select count(*) n, count(distinct message_id) ids from messages where direction = 'in'");
      expect([Number(stored.n), Number(stored.ids)]).toEqual([500, 500]);
      expect(await countOf(app, 'select count(*) n from tickets')).toBe(100);
      const perTicket = await rowsOf<{ n: number }>(app, "select count(*) n from messages where direction = 'in' group by ticket_id");
      expect(perTicket.every((r) => Number(r.n) === 5)).toBe(true);
    } finally {
      await app.close();
    }
  });
});
