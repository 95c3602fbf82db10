// Which database Postdesk uses, resolved from `database` in the config (or POSTDESK_DATABASE_URL):
// absent, SQLite in the data directory; a postgres:// URL, that PostgreSQL database. The URL is
// checked here so that a wrong one fails at load, one line, without the password in it.
import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../cli/errors.ts';
import type { DatabaseConfig } from './schema.ts';
import { isLoopbackHost } from './loopback.ts';
import { checkCertificateFile } from './certificates.ts';

export type DatabaseTarget = { kind: 'sqlite' } | { kind: 'postgres'; url: string; ssl: false | ConnectionOptions; label: string; maxConnections: number };

/** `key` and `caKey` name the settings in errors (`database.url`, or the variable or option that gave it). */
export function databaseTarget(config: DatabaseConfig | undefined, url: string | undefined, key: string, caKey = 'database.ca'): DatabaseTarget {
  if (!config || url === undefined) return { kind: 'sqlite' };
  if (config.ca !== undefined) checkCertificateFile(config.ca, caKey);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`config: ${key}: not a URL (expected postgres://user:password@host:5432/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new ConfigError(`config: ${key}: protocol must be postgres: (got ${parsed.protocol})`);
  if (!parsed.hostname) throw new ConfigError(`config: ${key}: no host`);
  if (parsed.pathname.length <= 1) throw new ConfigError(`config: ${key}: no database name (postgres://…/<database>)`);
  if (parsed.searchParams.has('sslmode')) throw new ConfigError(`config: ${key}: give TLS as database.tls / database.ca, not sslmode in the URL`);
  const loopback = isLoopbackHost(parsed.hostname);
  const tls = config.tls ?? (loopback ? 'none' : 'require');
  if (tls === 'none' && !loopback) throw new ConfigError(`config: database.tls: "none" is only allowed for a loopback host, not ${parsed.hostname}`);
  if (!config.rejectUnauthorized && !loopback) {
    throw new ConfigError(`config: database.rejectUnauthorized: false is only allowed for a loopback host, not ${parsed.hostname} (trust its certificate with ca instead)`);
  }
  const ssl: false | ConnectionOptions =
    tls === 'none' ? false : { rejectUnauthorized: config.rejectUnauthorized, ...(config.ca ? { ca: fs.readFileSync(config.ca, 'utf8') } : {}) };
  return { kind: 'postgres', url, ssl, label: `postgres://${parsed.host}${parsed.pathname}`, maxConnections: config.maxConnections };
}
