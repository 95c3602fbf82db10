// A real Courier IMAP server (Debian's courier-imap, unpacked by scripts/ensure-test-tools.sh because
// it conflicts with dovecot-imapd) on 127.0.0.1 with a free port: couriertcpd → imaplogin → imapd,
// users in a userdb, Maildirs owned by the `mail` system user, all in a temp dir.
// Courier's authlib has its paths compiled in (/etc/courier/authdaemonrc, /etc/courier/userdb.dat,
// /run/courier/authdaemon/socket), so authdaemond and the IMAP server run in a private mount
// namespace (`unshare --mount`) where the temp dir's etc/ and run/ are mounted on those paths; the
// host's /etc/courier and /run/courier are left as they are (created empty when missing).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { daemon, freePort, imapServer, readTail, run, systemUser, type ImapServer, type ImapServerKind, type ImapUser } from './imap-server.ts';
import { ENSURE_TEST_SERVERS, unpackedRoot, unpackedVersion } from './test-servers.ts';

const ROOT = unpackedRoot('courier');
const IMAPD = path.join(ROOT, 'usr/bin/imapd');
const AUTHDAEMOND = '/usr/lib/courier/courier-authlib/authdaemond';

export const courier: ImapServerKind = {
  name: 'courier',
  offersCompress: false,
  missing() {
    if (!fs.existsSync(IMAPD)) return `Courier IMAP is not unpacked in ${ROOT}: run \`${ENSURE_TEST_SERVERS}\``;
    if (!fs.existsSync(AUTHDAEMOND)) return `${AUTHDAEMOND} is missing: run \`${ENSURE_TEST_SERVERS}\` (apt-get install -y courier-authlib courier-authlib-userdb)`;
    const ns = spawnSync('unshare', ['--mount', 'true'], { encoding: 'utf8' });
    if (ns.status !== 0) return `Courier's authlib reads /etc/courier and /run/courier only, so the harness runs it in a private mount namespace, and \`unshare --mount\` is refused here (${(ns.stderr || ns.error?.message || '').trim()}): run the tests as root with CAP_SYS_ADMIN`;
    return null;
  },
  start: startCourier,
};

async function startCourier(users: ImapUser[]): Promise<ImapServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-courier-'));
  const port = await freePort();
  const owner = systemUser('mail');
  const logFile = path.join(dir, 'courier.log');
  const etc = path.join(dir, 'etc');
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(etc, { mode: 0o700 });
  fs.mkdirSync(path.join(dir, 'run/authdaemon'), { recursive: true });
  fs.writeFileSync(path.join(etc, 'authdaemonrc'), 'authmodulelist="authuserdb"\ndaemons=3\nauthdaemonvar=/run/courier/authdaemon\nDEBUG_LOGIN=0\nDEFAULTOPTIONS=""\nLOGGEROPTS=""\n');
  const userdb = path.join(etc, 'userdb');
  fs.writeFileSync(userdb, '', { mode: 0o600 });
  for (const u of users) {
    const home = path.join(dir, 'mail', u.user);
    fs.mkdirSync(home, { recursive: true });
    run(path.join(ROOT, 'usr/bin/maildirmake.courier'), [path.join(home, 'Maildir')]);
    run('userdb', ['-f', userdb, u.user, 'set', `uid=${owner.uid}`, `gid=${owner.gid}`, `home=${home}`, `mail=${path.join(home, 'Maildir')}`]);
    const hash = run('userdbpw', ['-md5'], { input: `${u.password}\n${u.password}\n` }).trim();
    run('userdb', ['-f', userdb, u.user, 'set', `systempw=${hash}`]);
  }
  run('makeuserdb', ['-f', userdb]);
  fs.renameSync(`${userdb}.dat`, path.join(etc, 'userdb.dat'));
  run('chown', ['-R', `${owner.uid}:${owner.gid}`, path.join(dir, 'mail')]);

  const script = path.join(dir, 'run.sh');
  fs.writeFileSync(script, runScript({ dir, port, logFile }));
  const master = daemon({ name: 'courier', port, command: 'unshare', args: ['--mount', '--propagation', 'private', 'sh', script], diagnostics: () => readTail(logFile) });
  const server = imapServer({ label: `Courier IMAP ${unpackedVersion('courier')}`, port, dir, logFile, process: master });
  await server.start();
  return server;
}

// The settings of Debian's /etc/courier/imapd that matter here. IDLE without FAM/Gamin
// (IMAP_ENHANCEDIDLE=0, Debian's default) looks at the folder every IMAP_IDLE_TIMEOUT seconds (60 by
// default); 1 s here, so that a test waits for IDLE and not for a poll interval.
function runScript(o: { dir: string; port: number; logFile: string }): string {
  const env = {
    PATH: '/usr/bin:/bin',
    IMAP_CAPABILITY: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE',
    IMAP_IDLE_TIMEOUT: '1',
    IMAP_ENHANCEDIDLE: '0',
    IMAP_USELOCKS: '1',
    IMAP_KEYWORDS: '1',
    IMAP_ACL: '1',
    IMAP_STARTTLS: 'NO',
    IMAP_TLS_REQUIRED: '0',
    IMAP_MAILBOX_SANITY_CHECK: '1',
    IMAP_UMASK: '077',
  };
  const assignments = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
  return `set -e
exec >>${o.logFile} 2>&1
mkdir -p /etc/courier /run/courier
mount --bind ${o.dir}/etc /etc/courier
mount --bind ${o.dir}/run /run/courier
${AUTHDAEMOND} &
exec env -i ${assignments} ${ROOT}/usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=100 -maxperip=100 -nodnslookup -noidentlookup ${o.port} ${ROOT}/usr/lib/courier/courier/imaplogin ${IMAPD} Maildir
`;
}
