// CA files named in the config are read at load, so a wrong path fails there, one line.
import fs from 'node:fs';
import { ConfigError } from '../cli/errors.ts';

/** A CA file is read when a connection opens; a wrong path or a file that is no certificate fails here instead. */
export function checkCertificateFile(file: string, key: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: ${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`config: ${key}: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
}
