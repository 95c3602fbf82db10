// Private by default: whatever Postdesk writes into its data directory (database and its -wal/-shm,
// packs, outbox copies, the Maildir inbox, the secret, the pipe log) is its owner's only, under the
// usual umask 022 too; and a data directory left open by an older version is tightened at start.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, silentLogger } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { openDelivery } from '../../src/outbound/delivery.ts';
import { deliverDueMail } from '../../src/outbound/sender.ts';
import { cleanEnv, POSTDESK_BIN, waitForOutput } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { tempDir } from '../helpers/test-app.ts';

const ENV = { POSTDESK_ADDRESS: 'support@desk.example', POSTDESK_AGENTS: 'Ann Lee <ann@agents.example>' };
/** `umask 022; exec node bin/postdesk.js …`: the umask most systems start a service or a shell with. */
const UMASK_022 = ['-c', 'umask 022; exec "$0" "$@"', process.execPath, POSTDESK_BIN];

function postdesk022(args: string[], input?: Buffer) {
  return spawnSync('sh', [...UMASK_022, ...args], { input, env: cleanEnv(ENV), encoding: 'utf8' });
}

function mailWithAttachment(subject: string): Buffer {
  const invoice = { filename: 'invoice.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 customer data') };
  return buildMail({ from: 'Tina <tina@customer.example>', to: 'support@desk.example', subject, messageId: `${subject.replaceAll(' ', '-')}@customer.example`, text: 'My invoice is attached.', attachments: [invoice] });
}

/** Every entry under dir (dir itself first) with its permission bits, without following symlinks. */
function modes(dir: string): Map<string, number> {
  const found = new Map([['.', fs.statSync(dir).mode & 0o777]]);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    found.set(path.relative(dir, file), fs.lstatSync(file).mode & 0o777);
  }
  return found;
}

function expectPrivate(dir: string): void {
  const open = [...modes(dir)].filter(([file, mode]) => mode !== (fs.lstatSync(path.join(dir, file)).isDirectory() ? 0o700 : 0o600));
  expect(open.map(([file, mode]) => `${file} ${mode.toString(8)}`)).toEqual([]);
}

describe('the data directory under umask 022', () => {
  it('is 0700 and everything the commands write in it is 0600 (directories 0700)', async () => {
    const data = path.join(tempDir(), 'data');
    expect(postdesk022(['deliver', '--data', data], buildMail({ from: 'ann@customer.example', subject: 'Delivered' })).status).toBe(0);
    const ingest = postdesk022(['ingest', '--data', data, '-'], mailWithAttachment('With attachment'));
    expect(ingest.stderr).toBe('');
    expect(postdesk022(['ingest', '--data', data, '-', '--no-such-option'], Buffer.from('x')).status).toBe(64);
    expect(postdesk022(['outbox', 'flush', '--data', data]).stdout).toMatch(/^2 sent/);

    // The database's -wal and -shm exist while a process has it open: look while `run` works.
    const service = spawn('sh', [...UMASK_022, 'run', '--data', data], { env: cleanEnv(ENV), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitForOutput(service, /created #1001/, 30_000);
      for (const file of ['postdesk.sqlite-wal', 'postdesk.sqlite-shm']) expect(fs.statSync(path.join(data, file)).mode & 0o777, file).toBe(0o600);
    } finally {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.once('exit', resolve));
    }

    const written = [...modes(data).keys()];
    for (const kind of [/^postdesk\.sqlite$/, /^secret$/, /^mta-pipe\.log$/, /^raw\/.+\.pack$/, /^attachments\/.+\.pack$/, /^outbox-sent\/.+\.eml$/, /^inbox\/cur\/.+/]) {
      expect(written.some((f) => kind.test(f)), `${kind}`).toBe(true);
    }
    expectPrivate(data);
  });

  it('tightens an existing data directory left open to others, once, with one warning line', () => {
    const data = path.join(tempDir(), 'data');
    expect(postdesk022(['ingest', '--data', data, '-'], mailWithAttachment('Old data')).status).toBe(0);
    expect(postdesk022(['outbox', 'flush', '--data', data]).status).toBe(0);
    // As an older version left it: directories 755, files 644; and a link to a file elsewhere.
    const elsewhere = path.join(tempDir(), 'not-ours.txt');
    fs.writeFileSync(elsewhere, 'public');
    fs.chmodSync(elsewhere, 0o644);
    fs.symlinkSync(elsewhere, path.join(data, 'link'));
    // Not Postdesk's: closed itself, its contents left as they are (the data directory may be misplaced).
    fs.mkdirSync(path.join(data, 'notes'));
    fs.writeFileSync(path.join(data, 'notes', 'todo.txt'), 'mine');
    for (const [file] of modes(data)) {
      const full = path.join(data, file);
      if (!fs.lstatSync(full).isSymbolicLink()) fs.chmodSync(full, fs.statSync(full).isDirectory() ? 0o755 : 0o644);
    }

    const first = postdesk022(['tickets', 'list', '--data', data]);
    expect(first.status).toBe(0);
    expect(first.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(first.stderr).toMatch(new RegExp(`warning: data directory ${data} was open to group or others \\(mode 755\\); tightened to owner only`));
    expect(fs.statSync(path.join(data, 'notes')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(data, 'notes', 'todo.txt')).mode & 0o777).toBe(0o644);
    fs.rmSync(path.join(data, 'link'));
    fs.rmSync(path.join(data, 'notes'), { recursive: true });
    expectPrivate(data);
    expect(fs.statSync(elsewhere).mode & 0o777).toBe(0o644);

    expect(postdesk022(['tickets', 'list', '--data', data]).stderr).toBe('');
  });
});

describe('an App opened as a library (no CLI umask)', () => {
  const umask = process.umask();
  afterEach(() => void process.umask(umask));

  it('creates its data directory 0700 and its files 0600 under umask 022', async () => {
    process.umask(0o022);
    const data = path.join(tempDir(), 'data');
    const app = await openApp({ config: loadConfig({ dataDir: data, env: ENV }), log: silentLogger, decodeInline: true });
    try {
      await ingestRawMail(app, { source: 'test', mailbox: app.mailboxes[0], raw: mailWithAttachment('Library'), receivedAt: app.now() });
      const delivery = openDelivery(app);
      expect((await deliverDueMail(app, delivery)).sent).toBe(2);
      delivery.close();
      expect(fs.existsSync(path.join(data, 'postdesk.sqlite-wal'))).toBe(true);
      expectPrivate(data);
    } finally {
      await app.close();
    }
  });
});
