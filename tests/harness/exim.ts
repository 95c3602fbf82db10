// A real exim (Debian's exim4-daemon-light) for the MTA-pipe tests: its own configuration, spool
// and logs in a temporary folder, an SMTP daemon on 127.0.0.1 with a free port, and local parts
// aliased to pipes the way a Debian system's /etc/aliases does it (a redirect router with
// pipe_transport = address_pipe). It needs root: exim keeps root for a -C configuration only when
// root calls it, so the daemon only queues and the test runs the queue (as root), which delivers
// the pipes as `nobody`. The system's exim, if any, is not touched.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, systemUser, waitForPort } from './imap-server.ts';
import { describeIfAvailable } from '../helpers/requirements.ts';
import type { Mta } from './mta.ts';

export const EXIM_BINARY = '/usr/sbin/exim4';
export const EXIM_INSTALL = 'apt-get install -y exim4-daemon-light';

/** Runs the tests when exim is installed and we are root (as in CI); in CI its absence fails, elsewhere it skips loudly. */
export function describeWithExim(name: string, body: () => void): void {
  const problem = !fs.existsSync(EXIM_BINARY)
    ? `${EXIM_BINARY} is missing: run \`${EXIM_INSTALL}\``
    : process.getuid?.() !== 0
      ? 'the exim tests run as root'
      : null;
  describeIfAvailable(name, problem, body);
}

/** Starts exim with `aliases` (local part → alias text, e.g. `"|/usr/bin/node … ingest -"`). */
export async function startExim(aliases: Record<string, string>): Promise<Mta> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-exim-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const eximUser = systemUser('Debian-exim', EXIM_INSTALL);
  for (const sub of ['spool', 'log']) {
    fs.mkdirSync(path.join(dir, sub));
    fs.chownSync(path.join(dir, sub), eximUser.uid, eximUser.gid);
  }
  fs.writeFileSync(path.join(dir, 'aliases'), Object.entries(aliases).map(([local, target]) => `${local}: ${target}\n`).join(''));
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, eximConf(dir, port), { mode: 0o644 });
  const exim = (args: string[]) => spawnSync(EXIM_BINARY, ['-C', conf, ...args], { encoding: 'utf8' });
  const mainLog = () => fs.readFileSync(path.join(dir, 'log', 'mainlog'), { encoding: 'utf8', flag: 'a+' });
  const daemon: ChildProcess = spawn(EXIM_BINARY, ['-C', conf, '-bdf'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  daemon.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  await waitForPort(port, daemon, () => `${stderr}\n${mainLog()}\n${readIfAny(path.join(dir, 'log', 'paniclog'))}`, 'exim');
  return {
    name: 'exim',
    port,
    domain: 'example.com',
    // exim's main log: `<=` arrival, `=>` delivery, `==` deferral, `**` failure.
    log: mainLog,
    queued: () => Number(exim(['-bpc']).stdout.trim()),
    // A forced queue run: delivers what waits, finished when this returns.
    retryQueue: () => {
      const run = exim(['-qff']);
      if (run.status !== 0) throw new Error(`exim -qff: ${run.stderr}`);
    },
    deferredPattern: (local) => new RegExp(`== \\|.*<${local}@example\\.com> .* defer .*returned 75`),
    deliveredPattern: (local) => new RegExp(`=> \\|.*<${local}@example\\.com> `),
    bouncePattern: / \*\* |<= <>/,
    stop: async () => {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill('SIGTERM');
        await exited;
      }
    },
  };
}

function readIfAny(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** A minimal local-delivery configuration; the redirect router is Debian's system_aliases. */
function eximConf(dir: string, port: number): string {
  return `
primary_hostname = mx.example.com
domainlist local_domains = example.com
spool_directory = ${dir}/spool
log_file_path = ${dir}/log/%slog
pid_file_path = ${dir}/exim.pid
daemon_smtp_ports = ${port}
local_interfaces = 127.0.0.1
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
keep_environment =
# Mail waits in the queue until the test runs it: exim keeps root, needed to run a pipe as nobody,
# only for processes root starts with this -C configuration, and the daemon's deliveries are not.
queue_only = true
acl_smtp_rcpt = acl_check_rcpt

begin acl
acl_check_rcpt:
  accept domains = +local_domains
  deny message = relay not permitted

begin routers
system_aliases:
  driver = redirect
  domains = +local_domains
  allow_fail
  allow_defer
  data = \${lookup{$local_part}lsearch{${dir}/aliases}}
  user = nobody
  group = nogroup
  pipe_transport = address_pipe

begin transports
address_pipe:
  driver = pipe
  return_fail_output

begin retry
*  *  F,2h,15m; G,16h,1h,1.5; F,4d,6h
`;
}
