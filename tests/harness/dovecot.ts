// A real Dovecot IMAP server for integration tests and benchmarks: Debian's dovecot started as a
// root master on 127.0.0.1 with a free port, a temporary Maildir per user and a passwd-file.
// Dovecot refuses root for its login and mail processes, so logins run as dovenull and mail is
// owned by the `dovecot` system user (allowed through first_valid_uid).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, it } from 'vitest';
import { ensureFolder, folderPath } from '../../src/intake/imap/folders.ts';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
export const DOVECOT_INSTALL = 'apt-get install -y dovecot-imapd';
export const hasDovecot = fs.existsSync(DOVECOT_BINARY);

export interface DovecotUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: string;
  port: number;
  dir: string;
  /** Log file of this instance (auth failures, crashes): read it when a test fails. */
  logFile: string;
  /** `imap://user:password@127.0.0.1:port/folder`, as POSTDESK_IMAP_URL takes it. */
  url(user: DovecotUser, folder?: string): string;
  /** A logged-in client for the test's own IMAP work (APPEND, STATUS, folder surgery). */
  client(user: DovecotUser): Promise<ImapFlow>;
  /** APPENDs the mails in order; folder paths use `/` between levels. */
  append(user: DovecotUser, folder: string, mails: (string | Buffer)[], flags?: string[]): Promise<number[]>;
  /** Message count of a folder, 0 when it does not exist. */
  count(user: DovecotUser, folder: string): Promise<number>;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
}

/** Runs the tests when Dovecot is installed; in CI its absence fails, elsewhere it skips loudly. */
export function describeWithDovecot(name: string, body: () => void): void {
  if (hasDovecot) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Dovecot', () => {
        throw new Error(`${DOVECOT_BINARY} is missing: run \`${DOVECOT_INSTALL}\``);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": Dovecot is not installed (${DOVECOT_INSTALL})`);
  describe.skip(name, body);
}

export async function startDovecot(users: DovecotUser[]): Promise<Dovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-dovecot-'));
  const port = await freePort();
  const owner = systemUser('dovecot');
  const logFile = path.join(dir, 'dovecot.log');
  const confFile = path.join(dir, 'dovecot.conf');
  fs.mkdirSync(path.join(dir, 'mail'));
  fs.writeFileSync(path.join(dir, 'passwd'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''), { mode: 0o640 });
  fs.writeFileSync(confFile, dovecotConf({ dir, port, logFile, owner }));
  // The mail processes run as `dovecot`: they must reach the temp dir and own the Maildirs.
  fs.chmodSync(dir, 0o755);
  fs.chownSync(path.join(dir, 'mail'), owner.uid, owner.gid);
  fs.chownSync(path.join(dir, 'passwd'), 0, owner.gid);

  let master: ChildProcess | null = null;
  const server: Dovecot = {
    host: '127.0.0.1',
    port,
    dir,
    logFile,
    url: (u, folder = 'INBOX') => `imap://${encodeURIComponent(u.user)}:${encodeURIComponent(u.password)}@127.0.0.1:${port}/${encodeURIComponent(folder)}`,
    client: (u) => connectClient(port, u),
    async append(u, folder, mails, flags = []) {
      const client = await connectClient(port, u);
      try {
        await ensureFolder(client, folder);
        const uids: number[] = [];
        for (const mail of mails) {
          const res = await client.append(folderPath(folder), mail, flags);
          if (res && res.uid) uids.push(res.uid);
        }
        return uids;
      } finally {
        await client.logout();
      }
    },
    async count(u, folder) {
      const client = await connectClient(port, u);
      try {
        const status = await client.status(folderPath(folder), { messages: true });
        return status.messages ?? 0;
      } catch {
        return 0;
      } finally {
        await client.logout();
      }
    },
    async start() {
      if (master) return;
      const child = spawn(DOVECOT_BINARY, ['-F', '-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      master = child;
      child.once('exit', () => {
        if (master === child) master = null;
      });
      await waitForPort(port, child, () => `${stderr}\n${readTail(logFile)}`);
    },
    async stop() {
      const child = master;
      if (!child) return;
      master = null;
      // A stopped server drops every client: the imap processes would otherwise outlive the
      // master and keep their sessions, which is not what a crashed or restarted server does.
      const children = childPids(child.pid!);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      for (const pid of children) killQuietly(pid);
      await waitForPortClosed(port);
    },
    async restart() {
      await server.stop();
      await server.start();
    },
  };
  await server.start();
  return server;
}

async function connectClient(port: number, u: DovecotUser): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user: u.user, pass: u.password }, logger: false, disableAutoIdle: true });
  await client.connect();
  return client;
}

function dovecotConf(o: { dir: string; port: number; logFile: string; owner: { uid: number; gid: number; name: string } }): string {
  const [major, minor] = dovecotVersion();
  // 2.4 renamed the cleartext switch; the harness speaks both dialects' one setting that differs.
  const cleartext = major > 2 || (major === 2 && minor >= 4) ? 'auth_allow_cleartext = yes' : 'disable_plaintext_auth = no';
  return `
instance_name = postdesk-test-${o.port}
base_dir = ${o.dir}/run
state_dir = ${o.dir}/state
protocols = imap
listen = 127.0.0.1
ssl = no
${cleartext}
auth_mechanisms = plain login
log_path = ${o.logFile}
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = ${o.owner.uid}
mail_uid = ${o.owner.name}
mail_gid = ${o.owner.name}
mail_location = maildir:${o.dir}/mail/%u
mailbox_idle_check_interval = 1 secs
# Test mail is disposable: no fsync per APPEND.
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${o.dir}/passwd
}
userdb {
  driver = static
  args = uid=${o.owner.uid} gid=${o.owner.gid} home=${o.dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${o.port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

function dovecotVersion(): [number, number] {
  const out = spawnSync(DOVECOT_BINARY, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const m = /^(\d+)\.(\d+)/.exec(out.trim());
  return m ? [Number(m[1]), Number(m[2])] : [2, 3];
}

export function systemUser(name: string, install = DOVECOT_INSTALL): { name: string; uid: number; gid: number } {
  const out = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`system user ${name} is missing (it comes with ${install})`);
  return { name, uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPort(port: number, child: ChildProcess, diagnostics: () => string, server = 'dovecot'): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${server} exited with ${child.exitCode}:\n${diagnostics()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${server} did not listen on ${port} within 15 s:\n${diagnostics()}`);
}

async function waitForPortClosed(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && (await canConnect(port))) await new Promise((r) => setTimeout(r, 50));
}

function childPids(parent: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map((l) => Number(l.trim())).filter((pid) => pid > 0);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
