// `postdesk db backup` and `db restore`, as an administrator runs them: real processes on a real
// SQLite data directory, one of them while `postdesk run` is ingesting.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { postdesk, postdeskAsync, waitForOutput } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';
import { PackStore } from '../../src/store/pack-store.ts';

const NOW = ['--now', '2026-11-03T10:00:00Z'];

function ok(args: string[]): string {
  const run = postdesk(args);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** The archive as the tar package unpacks it, each file checked against its manifest's sha256 independently of Postdesk's own check. */
async function unpackAndCheck(archive: string): Promise<{ dir: string; manifest: { tables: Record<string, number>; files: Record<string, { size: number; sha256: string }> } }> {
  const dir = tempDir();
  await tar.x({ file: archive, cwd: dir });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const listed = (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => f !== 'manifest.json');
  expect(listed.sort()).toEqual(Object.keys(manifest.files).sort());
  for (const [file, entry] of Object.entries(manifest.files as Record<string, { size: number; sha256: string }>)) {
    const bytes = fs.readFileSync(path.join(dir, file));
    expect({ file, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') }).toEqual({ file, ...entry });
  }
  return { dir, manifest };
}

function rowCounts(database: string): Record<string, number> {
  const sqlite = new Database(database, { readonly: true });
  try {
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, sqlite.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
  } finally {
    sqlite.close();
  }
}

function modes(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    const mode = fs.statSync(path.join(entry.parentPath, entry.name)).mode & 0o777;
    found.add(`${entry.isDirectory() ? 'dir' : 'file'} ${mode.toString(8)}`);
  }
  return found;
}

describe('postdesk db backup and db restore', () => {
  it('clears what a backup killed mid-way left beside the archive when the next one runs', { timeout: 120_000 }, async () => {
    const data = path.join(tempDir(), 'data');
    const big = crypto.randomBytes(30 * 1024 * 1024);
    const mail = buildMail({ from: 'ann@customer.example', subject: 'Big scan', attachments: [{ filename: 'scan.bin', content: big, contentType: 'application/octet-stream' }] });
    const config = path.join(tempDir(), 'big.config.json');
    fs.writeFileSync(config, JSON.stringify({ ingest: { maxMessageBytes: 64 * 1024 * 1024 } }));
    expect(postdesk(['ingest', '-', '--data', data, '--config', config], { input: mail }).status).toBe(0);
    const folder = tempDir();
    const archive = path.join(folder, 'postdesk.tar');
    const leftovers = () => fs.readdirSync(folder).filter((name) => name !== 'postdesk.tar');

    const killed = postdeskAsync(['db', 'backup', archive, '--data', data, '--config', config]);
    const exited = new Promise((resolve) => killed.once('exit', resolve));
    while (!leftovers().length) await new Promise((r) => setTimeout(r, 5));
    killed.kill('SIGKILL');
    await exited;
    expect(leftovers()).toHaveLength(1);

    ok(['db', 'backup', archive, '--data', data, '--config', config]);
    expect(leftovers()).toEqual([]);
    expect(fs.existsSync(archive)).toBe(true);
  });

  it('restores tickets, raw mails, attachments, quarantine and unread inbox mail so that every command prints the same', { timeout: 300_000 }, async () => {
    const data = path.join(tempDir(), 'data');
    const maildir = tempDir();
    for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, sub));
    const photo = crypto.randomBytes(3000);
    fs.writeFileSync(
      path.join(maildir, 'new', '1.a'),
      buildMail({ from: 'Ann <ann@customer.example>', subject: 'Broken lamp', messageId: 'lamp@c', attachments: [{ filename: 'lamp.jpg', content: photo, contentType: 'image/jpeg' }] }),
    );
    fs.writeFileSync(path.join(maildir, 'new', '2.b'), buildMail({ from: 'Ann <ann@customer.example>', subject: 'Re: Broken lamp', messageId: 'lamp2@c', inReplyTo: 'lamp@c' }));
    fs.writeFileSync(path.join(maildir, 'new', '3.c'), 'this is not a mail at all');
    ok(['ingest', '--maildir', maildir, '--data', data]);
    // Delivered, not yet ingested: a backup must not lose it.
    fs.mkdirSync(path.join(data, 'inbox', 'new'), { recursive: true });
    fs.writeFileSync(path.join(data, 'inbox', 'new', 'waiting.eml'), buildMail({ from: 'bob@customer.example', messageId: 'waiting@c' }));

    const archive = path.join(tempDir(), 'postdesk.tar');
    expect(ok(['db', 'backup', archive, '--data', data])).toMatch(/postdesk\.tar: 1 tickets, \d+ messages, \d+ files, [\d.]+ MB in [\d.]+ s\n$/);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    const { manifest } = await unpackAndCheck(archive);
    expect(Object.keys(manifest.files).sort()).toEqual(
      expect.arrayContaining(['postdesk.sqlite', 'secret', 'inbox/new/waiting.eml', expect.stringMatching(/^raw\/.+\.pack$/), expect.stringMatching(/^attachments\/.+\.pack$/)]),
    );
    expect(manifest).toMatchObject({ format: 'postdesk-backup', createdAt: expect.any(String), postdeskVersion: expect.any(String) });
    expect(manifest.tables).toMatchObject({ tickets: 1, attachments: 1, quarantine: 1 });

    const restored = path.join(tempDir(), 'restored');
    expect(ok(['db', 'restore', archive, '--data', restored])).toMatch(/restored the backup of .* every sha256 checked/);
    expect(modes(restored)).toEqual(new Set(['dir 700', 'file 600']));
    expect(fs.readdirSync(path.join(restored, 'inbox', 'new'))).toEqual(['waiting.eml']);
    expect(fs.existsSync(path.join(restored, 'manifest.json'))).toBe(false);

    const same = (args: string[]) => expect(ok([...args, '--data', restored])).toBe(ok([...args, '--data', data]));
    const ticket = JSON.parse(ok(['tickets', 'show', '1000', '--json', ...NOW, '--data', data]));
    const held = JSON.parse(ok(['quarantine', 'list', '--json', '--data', data]));
    expect(held).toHaveLength(1);
    same(['tickets', 'show', '1000', ...NOW]);
    same(['tickets', 'show', '1000', '--json', ...NOW]);
    same(['tickets', 'list', '--json', ...NOW]);
    same(['quarantine', 'list', '--json']);
    for (const message of ticket.messages.filter((m: { raw: string | null }) => m.raw)) same(['raw', message.raw]);
    same(['raw', held[0].sha256]);
    const attachment = ticket.messages[0].attachments[0].sha256;
    same(['attachment', attachment]);
    expect(Buffer.from(ok(['attachment', attachment, '--data', restored]), 'latin1').length).toBeGreaterThan(0);
    // The restored secret signs as the original did: tokens in mail already sent still verify.
    expect(fs.readFileSync(path.join(restored, 'secret'), 'utf8')).toBe(fs.readFileSync(path.join(data, 'secret'), 'utf8'));

    // Run on the restored directory, Postdesk takes the waiting mail.
    ok(['ingest', '--maildir', path.join(restored, 'inbox'), '--data', restored]);
    expect(JSON.parse(ok(['tickets', 'list', '--json', '--data', restored]))).toHaveLength(2);
  });

  it('is consistent and complete when taken while postdesk run ingests a stream of mails', { timeout: 300_000 }, async () => {
    const cwd = tempDir();
    const data = path.join(cwd, 'data');
    const service = postdeskAsync(['run', '--data', data], { cwd });
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    try {
      await waitForOutput(service, /watching .*inbox[/\\]new/, 60_000);
      const inbox = path.join(data, 'inbox');
      let delivered = 0;
      const deliver = (count: number) => {
        for (const end = delivered + count; delivered < end; delivered++) {
          const name = `${delivered}.eml`;
          const mail = buildMail({ from: `c${delivered % 40}@customer.example`, subject: `Question ${delivered}`, messageId: `m${delivered}@c`, text: `Mail ${delivered}`.repeat(20) });
          fs.writeFileSync(path.join(inbox, 'tmp', name), mail);
          fs.renameSync(path.join(inbox, 'tmp', name), path.join(inbox, 'new', name));
        }
      };
      deliver(250);
      // Started once the service is well into them: it is ingesting while the backup runs.
      await waitForOutput(service, /created #1020\b/, 60_000);
      service.stderr.resume();
      const deliveredBefore = delivered;
      const archive = path.join(tempDir(), 'live.tar');
      const backup = postdeskAsync(['db', 'backup', archive, '--json', '--data', data], { cwd });
      let stdout = '';
      backup.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      const backedUp = new Promise<number | null>((resolve) => backup.once('exit', (code) => resolve(code)));
      // Mail keeps arriving while the backup runs.
      const trickle = setInterval(() => deliver(5), 20);
      const status = await backedUp;
      clearInterval(trickle);
      expect(status).toBe(0);
      deliver(20);

      const { dir, manifest } = await unpackAndCheck(archive);
      expect(JSON.parse(stdout)).toMatchObject({ file: archive, files: Object.keys(manifest.files).length, tables: manifest.tables });
      // Taken mid-stream: some mail was ingested before it, and some after.
      const ingestedAtBackup = manifest.tables.tickets;
      expect(ingestedAtBackup).toBeGreaterThan(0);
      expect(ingestedAtBackup).toBeLessThan(delivered);
      expect(rowCounts(path.join(dir, 'postdesk.sqlite'))).toEqual(manifest.tables);

      const restored = path.join(tempDir(), 'restored');
      ok(['db', 'restore', archive, '--data', restored]);
      expect(rowCounts(path.join(restored, 'postdesk.sqlite'))).toEqual(manifest.tables);
      // Every kept mail reads back with its sha256 (PackStore.read checks it).
      const sqlite = new Database(path.join(restored, 'postdesk.sqlite'), { readonly: true });
      const raws = sqlite
        .prepare('SELECT raw_pack AS pack, raw_offset AS offset, raw_size AS size, raw_sha256 AS sha256, message_id AS messageId FROM messages WHERE raw_pack IS NOT NULL')
        .all() as { pack: string; offset: number; size: number; sha256: string; messageId: string }[];
      sqlite.close();
      const store = new PackStore(path.join(restored, 'raw'), 'raw');
      for (const raw of raws) expect(store.read(raw).length).toBe(raw.size);
      // Nothing delivered before the backup began is lost: it is either stored or still waiting in inbox/new.
      const stored = new Set(raws.map((r) => r.messageId));
      const waiting = new Set(fs.existsSync(path.join(restored, 'inbox', 'new')) ? fs.readdirSync(path.join(restored, 'inbox', 'new')) : []);
      const lost = Array.from({ length: deliveredBefore }, (_, i) => i).filter((i) => !stored.has(`m${i}@c`) && !waiting.has(`${i}.eml`));
      expect(lost).toEqual([]);
      expect(raws.length).toBe(manifest.tables.tickets);
      // Spot checks through the CLI, on the restored directory.
      const sample = raws[Math.floor(raws.length / 2)];
      expect(crypto.createHash('sha256').update(postdesk(['raw', sample.sha256, '--data', restored], {}).stdout, 'utf8').digest('hex')).toBe(sample.sha256);
    } finally {
      service.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses to replace a file without --force, and says in one line why it cannot write', { timeout: 120_000 }, () => {
    const base = tempDir();
    fs.chmodSync(base, 0o755);
    const data = path.join(base, 'data');
    fs.mkdirSync(data, { mode: 0o700 });
    if (process.getuid?.() === 0) {
      const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout);
      fs.chownSync(data, nobody, nobody);
    }
    expect(postdesk(['ingest', '-', '--data', data], { input: buildMail({ from: 'ann@customer.example' }), unprivileged: true }).status).toBe(0);
    const targets = tempDir();
    const archive = path.join(targets, 'b.tar');
    fs.writeFileSync(archive, 'keep me', { mode: 0o644 });

    const refused = postdesk(['db', 'backup', archive, '--data', data]);
    expect(refused).toMatchObject({ status: 2, stdout: '', stderr: `postdesk: db backup: ${archive} exists; give --force to replace it\n` });
    expect(fs.readFileSync(archive, 'utf8')).toBe('keep me');
    expect(fs.readdirSync(targets)).toEqual(['b.tar']);

    expect(postdesk(['db', 'backup', archive, '--force', '--data', data]).status).toBe(0);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(targets)).toEqual(['b.tar']);

    const missing = postdesk(['db', 'backup', path.join(targets, 'no', 'such', 'b.tar'), '--data', data]);
    expect(missing).toMatchObject({ status: 1, stdout: '', stderr: `postdesk: db backup: cannot write ${path.join(targets, 'no/such/b.tar')}: no folder ${path.join(targets, 'no/such')}\n` });

    // As root, file modes bind nobody: the backup runs as `nobody`, who owns the data but not the folder.
    const readOnly = tempDir();
    fs.chmodSync(readOnly, 0o555);
    const unwritable = postdesk(['db', 'backup', path.join(readOnly, 'b.tar'), '--data', data], { unprivileged: true });
    expect(unwritable).toMatchObject({ status: 1, stdout: '', stderr: `postdesk: db backup: cannot write into ${readOnly} (EACCES: not writable by this user)\n` });
    expect(fs.readdirSync(readOnly)).toEqual([]);
  });

  it('restores only into an empty directory, and an archive that does not match its manifest leaves it empty', { timeout: 120_000 }, async () => {
    const data = path.join(tempDir(), 'data');
    expect(postdesk(['ingest', '-', '--data', data], { input: buildMail({ from: 'ann@customer.example' }) }).status).toBe(0);
    const archive = path.join(tempDir(), 'b.tar');
    ok(['db', 'backup', archive, '--data', data]);

    const occupied = tempDir();
    fs.writeFileSync(path.join(occupied, 'notes.txt'), 'mine');
    expect(postdesk(['db', 'restore', archive, '--data', occupied])).toMatchObject({
      status: 2,
      stderr: `postdesk: db restore: ${occupied} is not empty; restore into a new or empty data directory\n`,
    });
    expect(fs.readdirSync(occupied)).toEqual(['notes.txt']);

    // One byte of a raw pack changed after the backup was written.
    const { dir } = await unpackAndCheck(archive);
    const pack = fs.readdirSync(path.join(dir, 'raw'))[0];
    const bytes = fs.readFileSync(path.join(dir, 'raw', pack));
    bytes[bytes.length - 2] ^= 1;
    fs.writeFileSync(path.join(dir, 'raw', pack), bytes);
    const tampered = path.join(tempDir(), 'tampered.tar');
    await tar.c({ file: tampered, cwd: dir }, fs.readdirSync(dir));
    const target = path.join(tempDir(), 'restored');
    const refused = postdesk(['db', 'restore', tampered, '--data', target]);
    expect(refused).toMatchObject({ status: 1, stdout: '' });
    expect(refused.stderr).toBe(`postdesk: db restore: ${tampered}: 1 file(s) differ from its manifest, e.g. raw/${pack} does not match its sha256; ${target} is left empty\n`);
    expect(fs.readdirSync(target)).toEqual([]);

    const notTar = path.join(tempDir(), 'notes.tar');
    fs.writeFileSync(notTar, 'not an archive at all');
    const garbage = postdesk(['db', 'restore', notTar, '--data', target]);
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toMatch(/^postdesk: db restore: .*notes\.tar: .*; .* is left empty\n$/);
  });
});
