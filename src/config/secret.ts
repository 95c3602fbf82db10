// The signing secret: the HMAC key of the reply tokens and Message-IDs Postdesk sends. Whoever knows
// it can forge an agent's reply, so it must be long and private: a short one from the configuration
// or the environment, or a generated file that others may read, stops Postdesk with a one-line fix.
// Generated, it is kept in the data directory with SQLite, and in the database with PostgreSQL, where
// every worker on every machine must sign and check with the same one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../cli/errors.ts';
import type { Db } from '../store/db.ts';
import { execute, tablesOf } from '../store/dialect.ts';
import { getSetting } from '../store/settings.ts';
import { PRIVATE_FILE } from '../store/private-data.ts';

export const MIN_SECRET_BITS = 256;
const HOW_TO_MAKE = '64 hex digits or 43 base64 characters, e.g. `openssl rand -base64 32`';

/**
 * Bits of key material in a secret, read the densest way its characters allow: hex digits carry 4
 * bits each, base64 (or base64url) characters 6, anything else 8 per UTF-8 byte. The string itself
 * is the HMAC key, as it always was: tokens already sent stay valid.
 */
export function secretBits(secret: string): number {
  if (/^[0-9a-f]+$/i.test(secret)) return secret.length * 4;
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret)) return secret.replace(/=+$/, '').length * 6;
  return Buffer.byteLength(secret, 'utf8') * 8;
}

/** The secret, if it is strong enough; `source` names where it came from (a key, a variable, a file). */
export function checkSecret(secret: string, source: string): string {
  if (secret === '') throw new ConfigError(`config: ${source}: empty; a signing secret needs ${HOW_TO_MAKE}`);
  const bits = secretBits(secret);
  if (bits < MIN_SECRET_BITS) {
    throw new ConfigError(`config: ${source}: too short (${bits} bits of key material, at least ${MIN_SECRET_BITS} needed: ${HOW_TO_MAKE})`);
  }
  return secret;
}

/** The secret kept in the data directory, generated (32 random bytes) on first use. */
export function storedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  if (!fs.existsSync(file)) createSecretFile(file);
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new ConfigError(`config: ${file}: open to group or others (mode ${mode.toString(8)}); run \`chmod 600 ${file}\``);
  return checkSecret(fs.readFileSync(file, 'utf8').trim(), file);
}

/** The settings key of the secret kept in the database. */
export const SECRET_SETTING = 'signing_secret';

/**
 * The secret kept in the database (PostgreSQL), generated on first use: the first process to insert
 * it wins, every other one (ON CONFLICT DO NOTHING) reads the winner's. It is as private as the mails
 * beside it: whoever may read the database reads both.
 */
export async function storedSecretIn(db: Db): Promise<string> {
  const { settings } = tablesOf(db);
  await execute(db.insert(settings).values({ key: SECRET_SETTING, value: newSecret() }).onConflictDoNothing({ target: settings.key }));
  const secret = await getSetting(db, SECRET_SETTING);
  if (secret === undefined) throw new Error(`settings ${SECRET_SETTING}: not kept`);
  return checkSecret(secret, `the database's setting ${SECRET_SETTING}`);
}

function newSecret(): string {
  return crypto.randomBytes(32).toString('hex');
}

/** Written aside and linked into place, so a process starting at the same moment never reads it half-written. */
function createSecretFile(file: string): void {
  const draft = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(draft, newSecret(), { mode: PRIVATE_FILE });
  try {
    fs.linkSync(draft, file);
  } catch (err) {
    // Another process created it first; use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.unlinkSync(draft);
  }
}
