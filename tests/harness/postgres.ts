// A real PostgreSQL server for integration tests and benchmarks: a throwaway cluster made by Debian's
// `initdb` in a temp dir, run on a free 127.0.0.1 port with its unix socket in the same dir, as the
// `postgres` user when the tests run as root (PostgreSQL refuses root). The app connects over TCP
// with a password (scram-sha-256), as a real installation would; the harness administers the
// cluster as superuser over the socket (trust).
//
// The postmaster runs under a small sh guard that holds a pipe from the test process: when the test
// process stops the cluster, exits or is killed (even SIGKILL), the pipe closes, the guard shuts the
// postmaster down at once and removes the dir. No postmaster outlives its test process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import pg from 'pg';
import { describeIfAvailable } from '../helpers/requirements.ts';
import { freePort, systemUser } from './imap-server.ts';

export const POSTGRES_INSTALL = 'apt-get install -y postgresql';
const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';
const ROLE = 'postdesk';

export interface PostgresCluster {
  /** `PostgreSQL 15.20`, for test names and benchmark output. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  /** The temp dir with the data directory and the unix socket; removed by stop(). */
  readonly dir: string;
  /** The postmaster's pid. */
  readonly pid: number;
  /** Set as cluster_name: every server process's title carries it (`postgres: <name>: checkpointer`). */
  readonly name: string;
  /** The login role that owns the databases the harness makes, and its random password. */
  readonly role: string;
  readonly password: string;
  /** `postgres://postdesk:…@127.0.0.1:<port>/postdesk`: the cluster's first database, as the app takes it. */
  readonly url: string;
  /**
   * A new database owned by the role, copied from `template` (default `template1`; a database that
   * has been migrated once makes later copies cheap, if nothing is connected to it); its URL.
   */
  createDatabase(options?: { name?: string; template?: string }): Promise<string>;
  /** Runs `work` with a superuser connection to `database` (default `postgres`) over the socket. */
  admin<T>(work: (client: pg.Client) => Promise<T>, database?: string): Promise<T>;
  /** Shuts the postmaster down (immediate shutdown: the data is thrown away) and removes the dir. */
  stop(): Promise<void>;
}

/** What is missing on this machine, with the command that installs it; null when a cluster can start. */
export function postgresMissing(): string | null {
  if (!binDir()) return `PostgreSQL is not installed (no ${DEBIAN_ROOT}/<version>/bin/initdb): run \`${POSTGRES_INSTALL}\``;
  if (isRoot() && !userExists(SUPERUSER)) return `system user ${SUPERUSER} is missing: run \`${POSTGRES_INSTALL}\``;
  return null;
}

/** A suite that needs PostgreSQL: fails in CI (CI=true) with the install command when it is missing, skips loudly elsewhere. */
export function describeWithPostgres(name: string, body: () => void): void {
  describeIfAvailable(name, postgresMissing(), body);
}

/** A cluster for the enclosing describe block: started in beforeAll, stopped in afterAll. */
export function postgresForSuite(): () => PostgresCluster {
  let cluster: PostgresCluster | null = null;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not started yet (use it inside a test or hook)');
    return cluster;
  };
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binDir();
  if (!bin) throw new Error(postgresMissing()!);
  const owner = isRoot() ? systemUser(SUPERUSER, 'postgresql') : null;
  // The socket path (dir/.s.PGSQL.<port>) must stay under the kernel's 107 bytes: keep the name short.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  fs.chmodSync(dir, 0o700);
  const as = { uid: owner?.uid, gid: owner?.gid, cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } };
  const data = path.join(dir, 'data');

  try {
    // C.UTF-8: code point order, like SQLite's BINARY collation, and lower()/upper() beyond ASCII.
    await exec(path.join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--encoding=UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-instructions'], as);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const port = await freePort();
  const name = `postdesk-test-${port}`;
  // A throwaway cluster: no fsync, no full-page writes; nothing here must survive a machine crash.
  const postgresArgs = [
    '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
    '-c', `cluster_name=${name}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
  ];
  const guard = spawn('sh', ['-c', GUARD, 'postdesk-postgres-guard', path.join(bin, 'postgres'), ...postgresArgs], {
    ...as,
    env: { ...as.env, PG_DIR: dir },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a signal to the test's group must not take the guard before it cleans up.
    detached: true,
  });
  let log = '';
  guard.stderr!.on('data', (d) => (log = (log + d).slice(-8000)));
  const exited = new Promise<void>((resolve) => guard.once('exit', () => resolve()));
  // Writing is never done; ending the pipe is the stop signal, and a guard already gone is no error.
  guard.stdin!.on('error', () => {});
  const pid = await firstLine(guard, () => log);

  const admin = async <T>(work: (c: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> => {
    const client = new pg.Client({ host: dir, port, user: SUPERUSER, database });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const stop = async () => {
    guard.stdin!.end();
    await exited;
    // The guard removes the dir; this covers a guard that died before it could.
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(admin, guard, () => log);
    const password = randomBytes(24).toString('base64url');
    let databases = 0;
    const createDatabase = async (o: { name?: string; template?: string } = {}) => {
      const db = o.name ?? `${ROLE}_${++databases}`;
      await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(db)} OWNER ${ROLE} TEMPLATE ${c.escapeIdentifier(o.template ?? 'template1')}`));
      return `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
    };
    await admin((c) => c.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD ${c.escapeLiteral(password)}`));
    const url = await createDatabase({ name: ROLE });
    const version = (await admin((c) => c.query<{ server_version: string }>('SHOW server_version'))).rows[0].server_version;
    return { label: `PostgreSQL ${version.split(' ')[0]}`, host: '127.0.0.1', port, dir, pid, name, role: ROLE, password, url, createDatabase, admin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The guard (sh, as the cluster's owner): starts the postmaster, prints its pid, and waits for the
 * test process's pipe (fd 3, a copy of stdin: sh gives background jobs /dev/null as stdin) to close;
 * then SIGQUIT, PostgreSQL's immediate shutdown, which also ends every backend. When the postmaster
 * ends, for whatever reason, the dir goes.
 */
const GUARD = `
exec 3<&0
"$@" &
pm=$!
echo "$pm"
( read -r _ <&3; kill -QUIT "$pm" ) 2>/dev/null &
watcher=$!
wait "$pm"
kill "$watcher" 2>/dev/null
rm -rf "$PG_DIR"
`;

/** The newest Debian PostgreSQL with initdb: `/usr/lib/postgresql/<version>/bin`. */
function binDir(): string | null {
  let versions: string[];
  try {
    versions = fs.readdirSync(DEBIAN_ROOT);
  } catch {
    return null;
  }
  const usable = versions.filter((v) => fs.existsSync(path.join(DEBIAN_ROOT, v, 'bin', 'initdb'))).sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return usable.length ? path.join(DEBIAN_ROOT, usable[0], 'bin') : null;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function userExists(name: string): boolean {
  try {
    systemUser(name);
    return true;
  } catch {
    return false;
  }
}

function exec(command: string, args: string[], options: { uid?: number; gid?: number; cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(command)} ${args.join(' ')} failed (exit ${code}):\n${out}`))));
  });
}

function firstLine(child: ChildProcess, log: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const pid = Number.parseInt(out, 10);
      if (out.includes('\n') && pid > 0) resolve(pid);
    });
    child.once('exit', (code) => reject(new Error(`the PostgreSQL guard exited with ${code}:\n${log()}`)));
  });
}

async function waitUntilReady(admin: <T>(work: (c: pg.Client) => Promise<T>) => Promise<T>, guard: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (guard.exitCode !== null) throw new Error(`postgres exited:\n${log()}`);
    try {
      await admin((c) => c.query('SELECT 1'));
      return;
    } catch (err) {
      // Not listening yet, or "the database system is starting up".
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s (${(err as Error).message}):\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
