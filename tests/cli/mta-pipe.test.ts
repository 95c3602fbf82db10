// The commands an MTA runs per mail: `ingest -` and `deliver`. Their exit codes decide whether the
// MTA keeps a mail queued (75) or bounces it to the customer, with the command's stderr quoted.
// Permissions are exercised for real: as root (CI), the commands run as `nobody` through runuser.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { jsonLines, postdesk, postdeskAsync, waitForOutput } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

const TEMPORARY = 'postdesk: temporary local problem, mail not accepted yet\n';
const asRoot = process.getuid?.() === 0;
const nobody = asRoot ? Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout) : -1;

/** A directory the unprivileged child may not write into (yet), in a parent it may enter. */
function lockedDir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o555);
  return dir;
}

/** What an administrator does about it: the pipe's user owns the directory. */
function unlock(dir: string): void {
  if (asRoot) fs.chownSync(dir, nobody, nobody);
  fs.chmodSync(dir, 0o700);
}

function reachableTempDir(): string {
  const dir = tempDir();
  fs.chmodSync(dir, 0o755);
  return dir;
}

describe('ingest - as an MTA pipe', () => {
  it('exits 75 with one generic line while the data directory is unwritable, and keeps the mail once it is fixed', () => {
    const data = lockedDir(reachableTempDir(), 'data');
    const mail = buildMail({ from: 'Ann <ann@customer.example>', subject: 'Locked out', messageId: 'locked@c' });
    const refused = postdesk(['ingest', '-', '--data', data], { input: mail, unprivileged: true });
    expect(refused).toMatchObject({ status: 75, stderr: TEMPORARY, stdout: '' });

    unlock(data);
    const kept = postdesk(['ingest', '-', '--json', '--data', data], { input: mail, unprivileged: true });
    expect(kept.status).toBe(0);
    expect(jsonLines(kept.stdout)).toEqual([{ source: 'stdin', status: 'created', ticket: 1000 }]);
    // The MTA's retry of a mail that did get stored is a duplicate, and still exit 0.
    const again = postdesk(['ingest', '-', '--json', '--data', data], { input: mail, unprivileged: true });
    expect(again.status).toBe(0);
    expect(jsonLines(again.stdout)).toMatchObject([{ status: 'duplicate', ticket: 1000 }]);
    expect(JSON.parse(postdesk(['tickets', 'list', '--json', '--data', data]).stdout)).toHaveLength(1);
  });

  it('exits 75 for a broken configuration (fixable, so the MTA retries) and 64 for a wrong command line', () => {
    const data = tempDir();
    const mail = buildMail({ from: 'a@customer.example' });
    expect(postdesk(['ingest', '-', '--data', data, '--config', path.join(data, 'missing.json')], { input: mail })).toMatchObject({ status: 75, stderr: TEMPORARY });
    expect(postdesk(['ingest', '-', '--data', data, '--no-such-option'], { input: mail })).toMatchObject({ status: 64, stderr: 'postdesk: wrong command line for the mail pipe\n' });
    // The reasons are in the data directory's log for the administrator, not on stderr.
    const log = fs.readFileSync(path.join(data, 'mta-pipe.log'), 'utf8');
    expect(log).toMatch(/ingest: not kept, exit 75: config .*missing\.json: file not found/);
    expect(log).toMatch(/ingest: usage: .*no-such-option/);
    expect(fs.statSync(path.join(data, 'mta-pipe.log')).mode & 0o777).toBe(0o600);
  });
});

describe('postdesk deliver', () => {
  it('writes the mail durably into data/inbox/new, private to its owner, found like every command finds the data directory', () => {
    const cwd = tempDir();
    const mail = buildMail({ from: 'Ann <ann@customer.example>', subject: 'Via the MTA' });
    fs.writeFileSync(path.join(cwd, 'postdesk.config.json'), JSON.stringify({ dataDir: 'from-config' }));
    expect(postdesk(['deliver'], { input: mail, cwd })).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const inbox = path.join(cwd, 'from-config', 'inbox');
    const [name] = fs.readdirSync(path.join(inbox, 'new'));
    expect(name).toMatch(new RegExp(`^\\d{10}\\.M\\d{6}P\\d+_[0-9a-f]{8}\\.`));
    expect(fs.readFileSync(path.join(inbox, 'new', name))).toEqual(mail);
    expect(fs.statSync(path.join(inbox, 'new', name)).mode & 0o777).toBe(0o600);
    for (const sub of ['new', 'cur', 'tmp']) expect(fs.statSync(path.join(inbox, sub)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.join(inbox, 'tmp'))).toEqual([]);

    // POSTDESK_DATA beats the file, --data beats both; POSTDESK_CONFIG names another file.
    expect(postdesk(['deliver'], { input: mail, cwd, env: { POSTDESK_DATA: 'from-env' } }).status).toBe(0);
    expect(postdesk(['deliver', '--data', 'from-option'], { input: mail, cwd, env: { POSTDESK_DATA: 'from-env' } }).status).toBe(0);
    fs.writeFileSync(path.join(cwd, 'other.json'), JSON.stringify({ dataDir: 'from-other' }));
    expect(postdesk(['deliver'], { input: mail, cwd, env: { POSTDESK_CONFIG: 'other.json' } }).status).toBe(0);
    for (const dir of ['from-env', 'from-option', 'from-other']) expect(fs.readdirSync(path.join(cwd, dir, 'inbox', 'new'))).toHaveLength(1);
  });

  it('hands the mail to a running `postdesk run`, which makes it a ticket', async () => {
    const cwd = tempDir();
    const service = postdeskAsync(['run'], { cwd });
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    try {
      await waitForOutput(service, /watching .*inbox[/\\]new/, 30_000);
      const mail = buildMail({ from: 'Ann <ann@customer.example>', subject: 'Delivered by the MTA' });
      expect(postdesk(['deliver'], { input: mail, cwd }).status).toBe(0);
      await waitForOutput(service, /created #1000/, 30_000);
    } finally {
      service.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const list = JSON.parse(postdesk(['tickets', 'list', '--json'], { cwd }).stdout);
    expect(list).toMatchObject([{ number: 1000, subject: 'Delivered by the MTA' }]);
  });

  it('exits 75 with one generic line when the inbox is unwritable, the reason in the log; 64 for a wrong command line', () => {
    const data = reachableTempDir();
    unlock(data);
    const inbox = lockedDir(data, 'inbox');
    const mail = buildMail({ from: 'a@customer.example' });
    expect(postdesk(['deliver', '--data', data], { input: mail, unprivileged: true })).toMatchObject({ status: 75, stderr: TEMPORARY, stdout: '' });
    expect(fs.readdirSync(inbox)).toEqual([]);
    expect(fs.readFileSync(path.join(data, 'mta-pipe.log'), 'utf8')).toMatch(/deliver: not kept, exit 75: EACCES/);

    unlock(inbox);
    expect(postdesk(['deliver', '--data', data], { input: mail, unprivileged: true }).status).toBe(0);
    expect(fs.readdirSync(path.join(inbox, 'new'))).toHaveLength(1);
    expect(postdesk(['deliver', '--data', data, '--json'], { input: mail })).toMatchObject({ status: 64, stderr: 'postdesk: wrong command line for the mail pipe\n' });
  });
});
