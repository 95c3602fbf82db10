// A real Postfix (Debian's postfix) for the MTA-pipe tests. Debian's postfix and exim4 packages
// exclude each other and exim is installed for its own tests, so Postfix is not installed:
// scripts/ensure-test-tools.sh unpacks its package (dpkg -x) into <test servers>/postfix, and this
// harness runs it from there with its own configuration directory, queue, data directory and log
// file in a temporary folder, smtpd on 127.0.0.1 with a free port. Every *_directory points into
// the unpacked tree; its shared libraries (compiled-in RUNPATH /usr/lib/postfix) are found through
// LD_LIBRARY_PATH, which import_environment hands on to the daemons (the commands Postfix pipes to
// do not get it). The system's /etc/postfix and /usr/lib/postfix are never used. Root is needed (the
// master daemon runs as root), and the `postfix` user and `postdrop` group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, systemUser, waitForPort } from './imap-server.ts';
import { describeIfAvailable } from '../helpers/requirements.ts';
import type { Mta } from './mta.ts';

const TEST_SERVERS_DIR = process.env.POSTDESK_TEST_SERVERS ?? '/var/cache/postdesk-test-servers';
export const POSTFIX_ROOT = path.join(TEST_SERVERS_DIR, 'postfix');
export const POSTFIX_SETUP = 'sudo bash scripts/ensure-test-tools.sh';
const LIB_DIR = path.join(POSTFIX_ROOT, 'usr/lib/postfix');
const env = { ...process.env, LD_LIBRARY_PATH: LIB_DIR };

/** Runs the tests when Postfix is unpacked and we are root (as in CI); otherwise fails in CI, skips elsewhere. */
export function describeWithPostfix(name: string, body: () => void): void {
  describeIfAvailable(name, postfixProblem(), body);
}

function postfixProblem(): string | null {
  if (!fs.existsSync(path.join(LIB_DIR, 'sbin/master'))) {
    return `Postfix is not unpacked in ${POSTFIX_ROOT}: run \`${POSTFIX_SETUP}\` (apt-get download postfix; dpkg -x)`;
  }
  if (process.getuid?.() !== 0) return 'the Postfix tests run as root';
  const exists = (db: string, name: string) => spawnSync('getent', [db, name]).status === 0;
  if (!exists('passwd', 'postfix') || !exists('group', 'postdrop')) {
    return `Postfix needs the user postfix and the group postdrop: run \`${POSTFIX_SETUP}\``;
  }
  return null;
}

/** Starts Postfix with `aliases` (local part → alias text, e.g. `"|/usr/bin/node … ingest -"`). */
export async function startPostfix(aliases: Record<string, string>): Promise<Mta> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-postfix-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = path.join(dir, 'conf');
  const logFile = path.join(dir, 'maillog');
  fs.mkdirSync(conf);
  fs.mkdirSync(path.join(dir, 'queue'));
  fs.mkdirSync(path.join(dir, 'data'));
  const owner = systemUser('postfix', POSTFIX_SETUP);
  fs.chownSync(path.join(dir, 'data'), owner.uid, owner.gid);
  fs.writeFileSync(path.join(conf, 'main.cf'), mainCf(dir, logFile));
  fs.writeFileSync(path.join(conf, 'master.cf'), masterCf(port));

  // As the README sets it up: Postfix runs an alias's command as the owner of the alias database
  // (aliases.db), and postalias, run by root, drops to the owner of the source file and writes the
  // .db next to it, so the folder and the file belong to the user the pipe must run as.
  const nobody = systemUser('nobody');
  const aliasDir = path.join(dir, 'aliases');
  fs.mkdirSync(aliasDir);
  fs.writeFileSync(path.join(aliasDir, 'aliases'), Object.entries(aliases).map(([local, target]) => `${local}: ${target}\n`).join(''));
  for (const p of [aliasDir, path.join(aliasDir, 'aliases')]) fs.chownSync(p, nobody.uid, nobody.gid);

  const command = (name: string, args: string[]) => {
    const run = spawnSync(path.join(POSTFIX_ROOT, 'usr/sbin', name), ['-c', conf, ...args], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${name} ${args.join(' ')} (exit ${run.status}): ${run.stderr}\n${log()}`);
    return run.stdout;
  };
  const log = () => fs.readFileSync(logFile, { encoding: 'utf8', flag: 'a+' });
  command('postalias', [path.join(aliasDir, 'aliases')]);

  // start-fg keeps the master in the foreground: the child ends when Postfix does.
  const master: ChildProcess = spawn(path.join(POSTFIX_ROOT, 'usr/sbin/postfix'), ['-c', conf, 'start-fg'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  master.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  await waitForPort(port, master, () => `${stderr}\n${log()}`, 'postfix');
  return {
    name: 'Postfix',
    port,
    domain: 'example.com',
    log,
    // postqueue -j: one JSON object per queued message.
    queued: () => command('postqueue', ['-j']).split('\n').filter((l) => l.trim()).length,
    // Asks the queue manager to retry deferred mail now; the caller waits for the log.
    retryQueue: () => void command('postqueue', ['-f']),
    // local(8) maps exit 75 (EX_TEMPFAIL) to "temporary failure", dsn 4.3.0.
    deferredPattern: (local) => new RegExp(`to=<${local}@example\\.com>, .*status=deferred \\(temporary failure`),
    deliveredPattern: (local) => new RegExp(`to=<${local}@example\\.com>, .*status=sent \\(delivered to command: `),
    bouncePattern: /status=bounced|sender non-delivery notification/,
    stop: async () => {
      if (master.exitCode !== null) return;
      const exited = new Promise((resolve) => master.once('exit', resolve));
      command('postfix', ['stop']);
      await exited;
    },
  };
}

function mainCf(dir: string, logFile: string): string {
  return `
compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
daemon_directory = ${LIB_DIR}/sbin
command_directory = ${POSTFIX_ROOT}/usr/sbin
shlib_directory = ${LIB_DIR}
meta_directory = ${POSTFIX_ROOT}/etc/postfix
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C LD_LIBRARY_PATH=${LIB_DIR}
mail_owner = postfix
setgid_group = postdrop
default_privs = nobody
myhostname = mx.example.com
mydomain = example.com
myorigin = example.com
mydestination = example.com
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps = hash:${dir}/aliases/aliases
alias_database = hash:${dir}/aliases/aliases
# Nothing leaves this machine: mail for elsewhere (a bounce, say) fails at once, visibly.
default_transport = error:no mail leaves the test
relay_transport = error:no mail leaves the test
smtpd_peername_lookup = no
biff = no
maillog_file = ${logFile}
maillog_file_prefixes = ${dir}
`;
}

/** Debian's master.cf services that local delivery needs, none chrooted, smtpd on the test's port. */
function masterCf(port: number): string {
  return `
127.0.0.1:${port} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
local     unix  - n n -  - local
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
`;
}
