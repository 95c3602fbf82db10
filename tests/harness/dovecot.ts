// A real Dovecot IMAP server for integration tests and benchmarks: Debian's dovecot started as a
// root master on 127.0.0.1 with a free port, a temporary Maildir per user and a passwd-file.
// Dovecot refuses root for its login and mail processes, so logins run as dovenull and mail is
// owned by the `dovecot` system user (allowed through first_valid_uid).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { daemon, freePort, imapServer, readTail, systemUser, type ImapServer, type ImapServerKind, type ImapUser } from './imap-server.ts';

const DOVECOT_BINARY = '/usr/sbin/dovecot';
const DOVECOT_INSTALL = 'apt-get install -y dovecot-imapd';

export const dovecot: ImapServerKind = {
  name: 'dovecot',
  offersCompress: true,
  missing: () => (fs.existsSync(DOVECOT_BINARY) ? null : `${DOVECOT_BINARY} is missing: run \`${DOVECOT_INSTALL}\``),
  start: startDovecot,
};

async function startDovecot(users: ImapUser[]): Promise<ImapServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-dovecot-'));
  const port = await freePort();
  const owner = systemUser('dovecot', DOVECOT_INSTALL);
  const logFile = path.join(dir, 'dovecot.log');
  const confFile = path.join(dir, 'dovecot.conf');
  fs.mkdirSync(path.join(dir, 'mail'));
  fs.writeFileSync(path.join(dir, 'passwd'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''), { mode: 0o640 });
  fs.writeFileSync(confFile, dovecotConf({ dir, port, logFile, owner }));
  // The mail processes run as `dovecot`: they must reach the temp dir and own the Maildirs.
  fs.chmodSync(dir, 0o755);
  fs.chownSync(path.join(dir, 'mail'), owner.uid, owner.gid);
  fs.chownSync(path.join(dir, 'passwd'), 0, owner.gid);

  const master = daemon({ name: 'dovecot', port, command: DOVECOT_BINARY, args: ['-F', '-c', confFile], diagnostics: () => readTail(logFile) });
  const server = imapServer({ label: `Dovecot ${dovecotVersion().join('.')}`, port, dir, logFile, process: master });
  await server.start();
  return server;
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
# COMPRESS=DEFLATE, as servers that offer it run it (imapflow negotiates it when offered).
mail_plugins = $mail_plugins zlib
protocol imap {
  mail_plugins = $mail_plugins imap_zlib
}
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

function dovecotVersion(): number[] {
  const out = spawnSync(DOVECOT_BINARY, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(out.trim());
  return m ? m.slice(1).filter(Boolean).map(Number) : [2, 3];
}
