// A self-signed certificate for 127.0.0.1 and localhost, made by openssl (Node's crypto makes keys,
// not X.509 certificates), as a local MTA's default one is. openssl is on every Debian machine; in
// CI its absence fails the tests that need it, elsewhere they skip with a message.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describeIfAvailable } from '../helpers/requirements.ts';

export const OPENSSL_INSTALL = 'apt-get install -y openssl';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

export function describeWithOpenssl(name: string, body: () => void): void {
  describeIfAvailable(name, hasOpenssl ? null : `openssl is missing: run \`${OPENSSL_INSTALL}\``, body);
}

export interface Certificate {
  key: string;
  cert: string;
  /** The certificate's PEM file, for a `ca` setting. */
  certFile: string;
}

export function selfSignedCertificate(dir: string): Certificate {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}
