// `postdesk db copy --to postgres://…`, as an administrator runs it: a SQLite data directory of 2,000
// tickets (attachments, a reply, a quarantined mail) copied by a real process into a database of a
// throwaway PostgreSQL cluster; Postdesk started on the copy answers as it did on SQLite. The source
// is SQLite by construction (opened below without a database setting, whatever
// POSTDESK_TEST_DATABASE says), so this file runs once (SQLITE_ONLY in scripts/test-postgres.ts).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openApp, silentLogger } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { selfSignedCertificate, type Certificate } from '../harness/certificate.ts';
import { describeWithPostgres, postgresForSuite, type PostgresCluster } from '../harness/postgres.ts';
import { cleanEnv, POSTDESK_BIN, postdesk, postdeskAsync } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { REPO_ROOT } from '../helpers/shared-corpora.ts';
import { tempDir, testClock } from '../helpers/test-app.ts';

const TICKETS = 2_000;
const NOW = ['--now', '2026-11-03T10:00:00Z'];

/** A data directory on SQLite with TICKETS tickets: every 25th mail with attachments (one logo shared by all), one reply, one quarantined mail. */
async function sqliteDataDir(): Promise<string> {
  const data = path.join(tempDir(), 'data');
  const configPath = path.join(tempDir(), 'source.config.json');
  fs.writeFileSync(configPath, JSON.stringify({ ingest: { decodeWorkers: 0 } }));
  const clock = testClock('2026-11-02T09:00:00Z');
  const app = await openApp({ config: loadConfig({ configPath, dataDir: data, env: {} }), now: clock.now, log: silentLogger });
  try {
    const logo = crypto.randomBytes(2_000);
    const mailbox = app.mailboxes[0];
    const ingest = async (source: string, raw: Buffer) => {
      clock.advance(1_000);
      return ingestRawMail(app, { source, mailbox, raw, receivedAt: clock.now() });
    };
    for (let i = 0; i < TICKETS; i++) {
      const attachments = i % 25 === 0 ? [{ filename: 'logo.png', content: logo, contentType: 'image/png' }, { filename: `scan-${i}.pdf`, content: crypto.randomBytes(5_000 + i), contentType: 'application/pdf' }] : undefined;
      const result = await ingest(`m${i}`, buildMail({ from: `Customer ${i % 300} <c${i % 300}@customer.example>`, subject: `Question ${i}`, messageId: `q${i}@customer.example`, text: `Question number ${i}.\n`.repeat(10), attachments }));
      expect(result.ticket).toBe(1000 + i);
    }
    expect((await ingest('reply', buildMail({ from: 'c0@customer.example', subject: 'Re: Question 0', messageId: 'r0@customer.example', inReplyTo: 'q0@customer.example' }))).ticket).toBe(1000);
    await ingest('broken', Buffer.from('this is not a mail at all'));
  } finally {
    await app.close();
  }
  return data;
}

function ok(args: string[]): string {
  const run = postdesk(args);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** stdout as bytes: raw mails and attachments are compared byte for byte. */
function bytesOf(args: string[]): Buffer {
  const run = spawnSync(process.execPath, [POSTDESK_BIN, ...args], { env: cleanEnv(), cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** A data directory and config that run Postdesk on the database at url; the data directory is empty: nothing comes from the SQLite one. */
function onPostgres(url: string): string[] {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'postdesk.config.json'), JSON.stringify({ database: { url } }));
  return ['--data', path.join(dir, 'data'), '--config', path.join(dir, 'postdesk.config.json')];
}

function markerOf(url: string): Promise<string | undefined> {
  return settingOf(url, 'copy_in_progress');
}

async function settingOf(url: string, key: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Before the copy has migrated the database, there is no settings table.
    return (await client.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]).catch(() => ({ rows: [] }))).rows[0]?.value;
  } finally {
    await client.end();
  }
}

/** Turns TLS on in the cluster with this certificate (a reload is enough), for connections that ask for it. */
async function serveTls(cluster: PostgresCluster, certificate: Certificate): Promise<void> {
  const owner = fs.statSync(cluster.dir);
  for (const [name, pem] of [['server.crt', certificate.cert], ['server.key', certificate.key]]) {
    const file = path.join(cluster.dir, name);
    fs.writeFileSync(file, pem, { mode: 0o600 });
    fs.chownSync(file, owner.uid, owner.gid);
  }
  await cluster.admin(async (client) => {
    await client.query(`ALTER SYSTEM SET ssl_cert_file = '${path.join(cluster.dir, 'server.crt')}'`);
    await client.query(`ALTER SYSTEM SET ssl_key_file = '${path.join(cluster.dir, 'server.key')}'`);
    await client.query('ALTER SYSTEM SET ssl = on');
    await client.query('SELECT pg_reload_conf()');
  });
}

describeWithPostgres('postdesk db copy --to postgres://…', () => {
  const cluster = postgresForSuite();
  let data: string;

  it('copies a data directory of 2,000 tickets, verifies it, and Postdesk on the copy answers as on SQLite', { timeout: 600_000 }, async () => {
    data = await sqliteDataDir();
    const url = await cluster().createDatabase();
    const started = performance.now();
    const copy = postdesk(['db', 'copy', '--to', url, '--data', data]);
    const seconds = (performance.now() - started) / 1000;
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
    console.log(`db copy of ${TICKETS} tickets: ${seconds.toFixed(1)} s as a process; it said:\n${copy.stdout}`);
    expect(copy.stdout).toMatch(new RegExp(`postdesk\\.sqlite copied to postgres://127\\.0\\.0\\.1:\\d+/\\w+ in [\\d.]+ s, and verified:\\n`));
    expect(copy.stdout).toMatch(new RegExp(`rows, equal on both sides: .*tickets ${TICKETS}, messages \\d+, attachments ${(TICKETS / 25) * 2}, .*quarantine 1`));
    // Raw mails: every ticket's, the reply and the quarantined one; attachments: the shared logo once.
    expect(copy.stdout).toMatch(new RegExp(`${TICKETS + 2} raw mails, ${TICKETS / 25 + 1} attachments, [\\d.]+ MB\\n$`));
    expect(await markerOf(url)).toBeUndefined();
    // The generated secret comes along: tokens in mail already sent still verify on the copy.
    expect(await settingOf(url, 'signing_secret')).toBe(fs.readFileSync(path.join(data, 'secret'), 'utf8').trim());

    const copied = onPostgres(url);
    const same = (args: string[]) => expect(ok([...args, ...copied])).toBe(ok([...args, '--data', data]));
    same(['tickets', 'show', '1000', ...NOW]);
    same(['tickets', 'show', '1000', '--json', ...NOW]);
    same(['tickets', 'show', String(1000 + TICKETS - 1), '--json', ...NOW]);
    same(['tickets', 'list', '--json', ...NOW]);
    same(['quarantine', 'list', '--json']);
    const ticket = JSON.parse(ok(['tickets', 'show', '1000', '--json', ...NOW, '--data', data]));
    const held = JSON.parse(ok(['quarantine', 'list', '--json', '--data', data]));
    const sameBytes = (args: string[]) => expect(bytesOf([...args, ...copied]).equals(bytesOf([...args, '--data', data]))).toBe(true);
    for (const message of ticket.messages.filter((m: { raw: string | null }) => m.raw)) sameBytes(['raw', message.raw]);
    sameBytes(['raw', held[0].sha256]);
    for (const attachment of ticket.messages[0].attachments) sameBytes(['attachment', attachment.sha256]);

    // New tickets on the copy continue the numbers and ids.
    const mail = buildMail({ from: 'new@customer.example', subject: 'After the move', messageId: 'after@customer.example' });
    const ingested = postdesk(['ingest', '-', ...copied, '--json'], { input: mail });
    expect(ingested.status).toBe(0);
    expect(JSON.parse(ingested.stdout)).toMatchObject({ ticket: 1000 + TICKETS });

    // A second copy into it is refused: it holds Postdesk data.
    const again = postdesk(['db', 'copy', '--to', url, '--data', data]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^postdesk: db copy: postgres:\/\/\S+ holds Postdesk data already \(customers: \d+, tickets: 2001, .*\); copy into an empty database\n$/);
  });

  it('copies over TLS checked against --ca (a managed database with its own CA); another certificate is refused in one line', { timeout: 120_000 }, async () => {
    const certificate = selfSignedCertificate(tempDir());
    await serveTls(cluster(), certificate);
    const source = path.join(tempDir(), 'data');
    expect(postdesk(['--data', source, 'ingest', '-'], { input: buildMail({ from: 'tls@customer.example', subject: 'Over TLS' }) }).status).toBe(0);

    const stranger = selfSignedCertificate(tempDir());
    const refused = postdesk(['db', 'copy', '--to', await cluster().createDatabase(), '--ca', stranger.certFile, '--data', source]);
    expect(refused.stderr).toMatch(/^postdesk: .*self-signed certificate.*\n$/);
    expect(refused.status).toBe(1);

    const url = await cluster().createDatabase();
    const copy = postdesk(['db', 'copy', '--to', url, '--ca', certificate.certFile, '--data', source]);
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
    expect(copy.stdout).toMatch(/and verified:\n.*tickets 1,/);
  });

  it('copies text an older Postdesk stored with a NUL (PostgreSQL text and jsonb cannot hold one) without it', { timeout: 120_000 }, async () => {
    const data = path.join(tempDir(), 'data');
    const configPath = path.join(tempDir(), 'source.config.json');
    fs.writeFileSync(configPath, JSON.stringify({ ingest: { decodeWorkers: 0 } }));
    const app = await openApp({ config: loadConfig({ configPath, dataDir: data, env: {} }), now: testClock().now, log: silentLogger });
    try {
      const ingest = (source: string, raw: Buffer) => ingestRawMail(app, { source, mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
      await ingest('m', buildMail({ from: 'c@customer.example', to: 'support@desk.example', subject: 'Printer jam', messageId: 'nul@customer.example' }));
      await ingest('broken', Buffer.from('this is not a mail at all'));
    } finally {
      await app.close();
    }
    // Decoding drops NULs now; the database of an older Postdesk may hold them, in text and in JSON.
    const sqlite = new Database(path.join(data, 'postdesk.sqlite'));
    sqlite.prepare('UPDATE messages SET subject = ?, "to" = ? WHERE direction = \'in\'').run('Printer\0 jam', JSON.stringify([{ address: 'support@desk.example', name: 'Sup\0port' }]));
    sqlite.prepare('UPDATE quarantine SET reason = reason || ?').run(' (\0)');
    // A `postdesk run` once ran on it: its worker row is the source's process state, not copied.
    sqlite.prepare('INSERT INTO workers (id, host, pid, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run('old:1:2026', 'old', 1, 0, 0);
    sqlite.close();

    const url = await cluster().createDatabase();
    const copy = postdesk(['db', 'copy', '--to', url, '--data', data]);
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT subject, "to" FROM messages WHERE direction = 'in'`)).rows).toEqual([{ subject: 'Printer jam', to: [{ address: 'support@desk.example', name: 'Support' }] }]);
      expect((await client.query('SELECT reason FROM quarantine')).rows[0].reason).toMatch(/ \(\)$/);
      expect((await client.query('SELECT count(*)::int AS n FROM workers')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });

  it('leaves a copy cut short marked: every command refuses the database until db copy --restart finishes it', { timeout: 600_000 }, async () => {
    const url = await cluster().createDatabase();
    const copy = postdeskAsync(['db', 'copy', '--to', url, '--data', data]);
    let stderr = '';
    copy.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => copy.once('exit', (_code, signal) => resolve(signal)));
    // Killed as soon as the marker is there: the copy has begun, and is far from done.
    while (!(await markerOf(url))) {
      if (copy.exitCode !== null) throw new Error(`db copy ended (exit ${copy.exitCode}) before its marker was seen: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    copy.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(JSON.parse((await markerOf(url))!)).toMatchObject({ source: path.join(data, 'postdesk.sqlite'), startedAt: expect.any(String) });

    const onCopy = onPostgres(url);
    const list = postdesk(['tickets', 'list', ...onCopy]);
    expect(list.status).toBe(1);
    expect(list.stderr).toMatch(/^postdesk: database postgres:\/\/\S+: holds an unfinished `postdesk db copy` \(from \S+postdesk\.sqlite, started \S+\); nothing runs on a half-copied database: run `postdesk db copy --to <this database> --restart` to copy again\n$/);
    const again = postdesk(['db', 'copy', '--to', url, '--data', data]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^postdesk: db copy: postgres:\/\/\S+ holds an unfinished copy \(from \S+, started \S+\); give --restart to empty it and copy again\n$/);

    const restarted = postdesk(['db', 'copy', '--to', url, '--data', data, '--restart']);
    expect(restarted.stderr).toBe('');
    expect(restarted.status).toBe(0);
    expect(restarted.stdout).toMatch(/and verified/);
    expect(ok(['tickets', 'show', '1000', '--json', ...NOW, ...onCopy])).toBe(ok(['tickets', 'show', '1000', '--json', ...NOW, '--data', data]));
  });
});
