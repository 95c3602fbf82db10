// A real Cyrus IMAP server (Debian's cyrus-imapd, unpacked by scripts/ensure-test-tools.sh because it
// conflicts with dovecot-imapd) on 127.0.0.1 with a free port: its own imapd.conf and cyrus.conf,
// config dir, spool and sockets in a temp dir, users in a private sasldb. The master starts as root
// and drops to the `mail` system user (cyrus_user); an admin creates each user's mailbox over IMAP,
// as `cyradm`'s `cm user.NAME` does. Namespace as Debian ships it: `INBOX.` prefix, separator `.`.
// Cyrus logs only to syslog, so there is no log file to read on failure.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { daemon, freePort, imapServer, run, systemUser, type ImapServer, type ImapServerKind, type ImapUser } from './imap-server.ts';
import { ENSURE_TEST_SERVERS, unpackedRoot, unpackedVersion } from './test-servers.ts';

const ROOT = unpackedRoot('cyrus');
const BIN = path.join(ROOT, 'usr/lib/cyrus/bin');
const SASLPASSWD = '/usr/sbin/saslpasswd2';
const REALM = 'postdesk-test';

export const cyrus: ImapServerKind = {
  name: 'cyrus',
  offersCompress: true,
  missing() {
    if (!fs.existsSync(path.join(BIN, 'master'))) return `Cyrus IMAP is not unpacked in ${ROOT}: run \`${ENSURE_TEST_SERVERS}\``;
    if (!fs.existsSync(SASLPASSWD)) return `${SASLPASSWD} is missing: run \`${ENSURE_TEST_SERVERS}\` (apt-get install -y sasl2-bin)`;
    return null;
  },
  start: startCyrus,
};

async function startCyrus(users: ImapUser[]): Promise<ImapServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-cyrus-'));
  const port = await freePort();
  const owner = systemUser('mail');
  const admin = { user: 'postdesk-admin', password: crypto.randomBytes(12).toString('hex') };
  for (const sub of ['conf/socket', 'spool', 'run']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const sasldb = path.join(dir, 'sasldb2');
  for (const u of [admin, ...users]) run(SASLPASSWD, ['-p', '-c', '-f', sasldb, '-u', REALM, u.user], { input: u.password });
  const imapdConf = path.join(dir, 'imapd.conf');
  const cyrusConf = path.join(dir, 'cyrus.conf');
  fs.writeFileSync(imapdConf, imapdConfText({ dir, sasldb, admin: admin.user, user: owner.name }));
  fs.writeFileSync(cyrusConf, cyrusConfText({ port, imapdConf }));
  // The master drops to `mail`: it must own its config dir, spool, sockets and the sasldb.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(sasldb, 0o600);
  run('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);

  const env = { ...process.env, LD_LIBRARY_PATH: path.join(ROOT, 'usr/lib/x86_64-linux-gnu') };
  const pidFile = path.join(dir, 'run/master.pid');
  const master = daemon({ name: 'cyrus', port, command: path.join(BIN, 'master'), args: ['-D', '-C', imapdConf, '-M', cyrusConf, '-p', pidFile], env, cwd: dir, diagnostics: () => '(Cyrus logs to syslog only)' });
  const server = imapServer({ label: `Cyrus IMAP ${unpackedVersion('cyrus')}`, port, dir, logFile: '', process: master });
  await server.start();
  await createUserMailboxes(port, admin, users);
  return server;
}

function imapdConfText(o: { dir: string; sasldb: string; admin: string; user: string }): string {
  return `
configdirectory: ${o.dir}/conf
defaultpartition: default
partition-default: ${o.dir}/spool
cyrus_user: ${o.user}
admins: ${o.admin}
servername: ${REALM}
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: ${o.sasldb}
sasl_mech_list: PLAIN LOGIN
altnamespace: no
unixhierarchysep: no
proc_path: ${o.dir}/run/proc
mboxname_lockpath: ${o.dir}/run/lock
syslog_prefix: postdesk-test-cyrus
imapidlepoll: 1
`;
}

// idled tells idling sessions about new mail at once. Without it (Debian's cyrus.conf starts none)
// or when imapd cannot bind its own socket, `{configdirectory}/socket/idle.PID` whatever
// `idlesocket` says, imapd looks only every `imapidlepoll` seconds, 60 by default.
function cyrusConfText(o: { port: number; imapdConf: string }): string {
  const cmd = (name: string, args = '') => `"${path.join(BIN, name)} -C ${o.imapdConf}${args}"`;
  return `
START {
  recover cmd=${cmd('ctl_cyrusdb', ' -r')}
}
SERVICES {
  imap cmd=${cmd('imapd')} listen="127.0.0.1:${o.port}" prefork=0
}
DAEMON {
  idled cmd=${cmd('idled')}
}
`;
}

/**
 * `CREATE user.NAME` as the admin, over a plain socket: imapflow 1.7.8 cannot log in as a Cyrus
 * admin, whose NAMESPACE has no personal part (NIL), and then waits for ever on its next command.
 */
async function createUserMailboxes(port: number, admin: ImapUser, users: ImapUser[]): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  let waiting: (() => void) | null = null;
  socket.on('data', (d) => {
    received += d.toString('latin1');
    waiting?.();
  });
  const reply = (tag: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Cyrus did not answer ${tag}: ${received}`)), 10_000);
      waiting = () => {
        const line = received.split('\r\n').find((l) => l.startsWith(`${tag} `));
        if (line === undefined) return;
        clearTimeout(timer);
        if (!line.startsWith(`${tag} OK`)) reject(new Error(`Cyrus refused ${tag}: ${line}`));
        else resolve(line);
      };
      waiting();
    });
  const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(`a LOGIN ${quote(admin.user)} ${quote(admin.password)}\r\n`);
    await reply('a');
    for (const [i, u] of users.entries()) {
      socket.write(`c${i} CREATE ${quote(`user.${u.user}`)}\r\n`);
      await reply(`c${i}`);
    }
    socket.write('z LOGOUT\r\n');
    await reply('z');
  } finally {
    socket.destroy();
  }
}
