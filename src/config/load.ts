// Loads postdesk.config.json (or --config / POSTDESK_CONFIG), folds in the POSTDESK_* environment
// variables, validates, and resolves the signing secret. Every failure is one line naming the key,
// or the variable when the value came from the environment.
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../cli/errors.ts';
import { configSchema, type Config } from './schema.ts';
import { configFromEnvironment, ENVIRONMENT_KEYS } from './environment.ts';
import { dataDirectory, readConfigFile, type LocateOptions } from './locate.ts';
import { checkSecret } from './secret.ts';
import { checkCertificateFile } from './certificates.ts';
import { databaseTarget, type DatabaseTarget } from './database.ts';

export type LoadOptions = LocateOptions;

export interface LoadedConfig extends Omit<Config, 'secret' | 'database'> {
  /** SQLite in the data directory, or the PostgreSQL database of `database.url`. */
  database: DatabaseTarget;
  /** The configured signing secret, resolved and checked; absent: the data directory's generated one. */
  secret?: string;
  dataDir: string;
  configPath: string | null;
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const file = readConfigFile(opts);
  const fromEnv = configFromEnvironment(env);
  const merged = { ...fromEnv, ...file.values };
  /** How to name a key in an error: with the variable that set it, when it came from the environment. */
  const source = (path: PropertyKey[]) => {
    const key = path.map(String).join('.');
    const top = String(path[0]);
    return top in fromEnv && !(top in file.values) ? `${ENVIRONMENT_KEYS[top as keyof typeof ENVIRONMENT_KEYS]} (${key})` : key;
  };
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(`config: ${describeIssue(result.error, source)}`);
  const config = result.data;
  const caFiles: [string, string | undefined][] = [['smtp.ca', config.smtp?.ca], ...config.mailboxes.map((m, i): [string, string | undefined] => [`mailboxes.${i}.imap.ca`, m.imap?.ca])];
  for (const [key, ca] of caFiles) if (ca !== undefined) checkCertificateFile(ca, key);
  const templatesDir = config.outbound.templatesDir;
  if (templatesDir !== undefined && !fs.statSync(templatesDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`config: outbound.templatesDir: no directory ${templatesDir}`);
  }
  return {
    ...config,
    database: databaseTarget(config.database, resolveSecret(config.database?.url, source(['database', 'url']), env), source(['database', 'url'])),
    secret: config.secret === undefined ? undefined : checkSecret(resolveSecret(config.secret, 'secret', env)!, secretSource(config.secret, source)),
    dataDir: dataDirectory(opts, config.dataDir),
    configPath: file.path,
  };
}

function describeIssue(error: z.ZodError, source: (path: PropertyKey[]) => string): string {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') return `${source([...issue.path, ...issue.keys])}: unknown key`;
  return `${issue.path.length ? source(issue.path) : '(top level)'}: ${issue.message}`;
}

function secretSource(value: string | { env: string }, source: (path: PropertyKey[]) => string): string {
  return typeof value === 'string' ? source(['secret']) : `secret (environment variable ${value.env})`;
}

/** Resolves `{ env: NAME }` references; a reference to an unset variable is a configuration error. */
export function resolveSecret(value: string | { env: string } | undefined, key: string, env = process.env): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const resolved = env[value.env];
  if (resolved === undefined) throw new ConfigError(`config: ${key}: environment variable ${value.env} is not set`);
  return resolved;
}
