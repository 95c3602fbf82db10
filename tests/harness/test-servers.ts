// Where scripts/ensure-test-tools.sh unpacks the IMAP servers that cannot be apt-installed next to
// Dovecot (Debian's imap servers all conflict with one another): `<dir>/<server>/` holds the
// `dpkg -x` of its packages and a VERSION file.
import fs from 'node:fs';
import path from 'node:path';

export const TEST_SERVERS_DIR = process.env.POSTDESK_TEST_SERVERS ?? '/var/cache/postdesk-test-servers';
export const ENSURE_TEST_SERVERS = 'sudo bash scripts/ensure-test-tools.sh';

export function unpackedRoot(server: string): string {
  return path.join(TEST_SERVERS_DIR, server);
}

export function unpackedVersion(server: string): string {
  try {
    return fs.readFileSync(path.join(unpackedRoot(server), 'VERSION'), 'utf8').trim();
  } catch {
    return 'unknown version';
  }
}
