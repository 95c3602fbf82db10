// One shape for the real IMAP servers the integration tests and bench:imap run against (Dovecot,
// Cyrus, Courier): each module starts its server on 127.0.0.1 with a free port and private config,
// spool and run directories in a temp dir; this module gives them the same client-side helpers and
// process handling, and `describeEachImapServer` runs a suite once per server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { describeIfAvailable } from '../helpers/requirements.ts';
import { folderPath } from '../../src/intake/imap/folders.ts';

export interface ImapUser {
  user: string;
  password: string;
}

export interface ImapServer {
  /** `Dovecot 2.3.19.1`, for test names and the bench's output. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /** The temp dir with the server's config, spool and run files. */
  readonly dir: string;
  /** Where the server logs (auth failures, crashes), or '' when it logs only to syslog. */
  readonly logFile: string;
  /** `imap://user:password@127.0.0.1:port/folder`, as POSTDESK_IMAP_URL takes it. */
  url(user: ImapUser, folder?: string): string;
  /** A logged-in client for the test's own IMAP work (APPEND, STATUS, folder surgery). */
  client(user: ImapUser): Promise<ImapFlow>;
  /** What the server announces after login (`IDLE`, `MOVE`, `COMPRESS=DEFLATE`, ...). */
  capabilities(user: ImapUser): Promise<Set<string>>;
  /** APPENDs the mails in order, creating the folder when missing; folder paths use `/` between levels. */
  append(user: ImapUser, folder: string, mails: (string | Buffer)[], flags?: string[]): Promise<number[]>;
  /** Message count of a folder, 0 when it does not exist. */
  count(user: ImapUser, folder: string): Promise<number>;
  /** Creates a folder as an operator would by hand in a mail client; an existing one is left alone. */
  createFolder(user: ImapUser, folder: string): Promise<void>;
  /** Deletes the folder and creates it again empty, so that it gets a new UIDVALIDITY. */
  recreateFolder(user: ImapUser, folder: string): Promise<void>;
  start(): Promise<void>;
  /** Kills the server and every session it has, as a crash would. */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface ImapServerKind {
  /** `dovecot`, `cyrus`, `courier`: the name bench:imap's --server takes. */
  readonly name: string;
  /** Whether this server, as the harness configures it, offers COMPRESS=DEFLATE. */
  readonly offersCompress: boolean;
  /** What is missing on this machine, with the command that installs it; null when the server can start. */
  missing(): string | null;
  start(users: ImapUser[]): Promise<ImapServer>;
}

/**
 * Runs `body` once per server. A server that is missing fails in CI (CI=true) with the command
 * that installs it, and skips loudly elsewhere.
 */
export function describeEachImapServer(kinds: ImapServerKind[], name: string, body: (kind: ImapServerKind) => void): void {
  for (const kind of kinds) describeIfAvailable(`${name} (${kind.name})`, kind.missing(), () => body(kind));
}

/** The client-side helpers every server shares; `process` starts and kills the server itself. */
export function imapServer(o: { label: string; port: number; dir: string; logFile: string; process: { start(): Promise<void>; stop(): Promise<void> } }): ImapServer {
  const client = (u: ImapUser) => connectClient(o.port, u);
  const withClient = async <T>(u: ImapUser, work: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = await client(u);
    try {
      return await work(c);
    } finally {
      await c.logout();
    }
  };
  const server: ImapServer = {
    label: o.label,
    host: '127.0.0.1',
    port: o.port,
    dir: o.dir,
    logFile: o.logFile,
    url: (u, folder = 'INBOX') => `imap://${encodeURIComponent(u.user)}:${encodeURIComponent(u.password)}@127.0.0.1:${o.port}/${encodeURIComponent(folder)}`,
    client,
    capabilities: (u) => withClient(u, async (c) => new Set(c.capabilities.keys())),
    append: (u, folder, mails, flags = []) =>
      withClient(u, async (c) => {
        await createMissing(c, folder);
        const uids: number[] = [];
        for (const mail of mails) {
          const res = await c.append(folderPath(folder), mail, flags);
          if (res && res.uid) uids.push(res.uid);
        }
        return uids;
      }),
    async count(u, folder) {
      return withClient(u, async (c) => {
        if (!(await exists(c, folder))) return 0;
        return (await c.status(folderPath(folder), { messages: true })).messages ?? 0;
      });
    },
    createFolder: (u, folder) => withClient(u, (c) => createMissing(c, folder)),
    recreateFolder: (u, folder) =>
      withClient(u, async (c) => {
        const before = (await c.status(folderPath(folder), { uidValidity: true })).uidValidity;
        await c.mailboxDelete(folderPath(folder));
        // Some servers (Dovecot) take UIDVALIDITY from the clock in seconds: a second later it differs.
        for (let tries = 0; ; tries++) {
          await c.mailboxCreate(folderPath(folder));
          const after = (await c.status(folderPath(folder), { uidValidity: true })).uidValidity;
          if (after !== before) return;
          if (tries === 3) throw new Error(`${o.label} gave ${folder} the same UIDVALIDITY ${after} after delete and create`);
          await c.mailboxDelete(folderPath(folder));
          await new Promise((r) => setTimeout(r, 1100));
        }
      }),
    start: () => o.process.start(),
    stop: () => o.process.stop(),
    async restart() {
      await o.process.stop();
      await o.process.start();
    },
  };
  return server;
}

async function connectClient(port: number, u: ImapUser): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user: u.user, pass: u.password }, logger: false, disableAutoIdle: true });
  await client.connect();
  return client;
}

async function exists(client: ImapFlow, folder: string): Promise<boolean> {
  if (folder.toUpperCase() === 'INBOX') return true;
  const levels = folder.split('/');
  return (await client.list()).some((f) => f.path.split(f.delimiter).slice(-levels.length).join('/') === folder);
}

/** Creates the folder and its parents when missing, looking first: the harness must not depend on the product's folder code. */
async function createMissing(client: ImapFlow, folder: string): Promise<void> {
  if (await exists(client, folder)) return;
  await client.mailboxCreate(folderPath(folder));
}

/**
 * A server's master process: spawned in its own process group, waited for until the port answers,
 * and killed with SIGKILL together with everything it started (sessions, helper daemons).
 */
export function daemon(o: { name: string; port: number; command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string; diagnostics: () => string }) {
  let master: ChildProcess | null = null;
  return {
    async start() {
      if (master) return;
      const child = spawn(o.command, o.args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: o.env ?? process.env, cwd: o.cwd });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      master = child;
      child.once('exit', () => {
        if (master === child) master = null;
      });
      await waitForPort(o.port, child, () => `${stderr}\n${o.diagnostics()}`, o.name);
    },
    async stop() {
      const child = master;
      if (!child) return;
      master = null;
      // A stopped server drops every client: sessions would otherwise outlive the master and
      // keep serving, which is not what a crashed or restarted server does.
      const all = [child.pid!, ...descendants(child.pid!)];
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killQuietly(-child.pid!);
      for (const pid of all) killQuietly(pid);
      await exited;
      await waitForPortClosed(o.port);
    },
  };
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

export function systemUser(name: string, install = 'base-passwd'): { name: string; uid: number; gid: number } {
  const out = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`system user ${name} is missing (it comes with ${install})`);
  return { name, uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs a setup command synchronously; a failure throws with its output. */
export function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const res = spawnSync(command, args, { encoding: 'utf8', input: options.input, env: options.env ?? process.env });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${res.stdout}${res.stderr}`);
  return res.stdout;
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

export async function waitForPort(port: number, child: ChildProcess, diagnostics: () => string, server: string): Promise<void> {
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

function descendants(parent: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' }).stdout ?? '';
  const children = out.split('\n').map((l) => Number(l.trim())).filter((pid) => pid > 0);
  return children.flatMap((pid) => [pid, ...descendants(pid)]);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
