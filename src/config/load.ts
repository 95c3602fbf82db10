// Loads postdesk.config.json (or --config / POSTDESK_CONFIG), folds in the POSTDESK_* environment
// variables, validates, and resolves secret references. Every failure is one line naming the key.
import { z } from 'zod';
import { ConfigError } from '../cli/errors.ts';
import { configSchema, type Config } from './schema.ts';
import { configFromEnvironment } from './environment.ts';
import { dataDirectory, readConfigFile, type LocateOptions } from './locate.ts';

export type LoadOptions = LocateOptions;

export interface LoadedConfig extends Config {
  dataDir: string;
  configPath: string | null;
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const file = readConfigFile(opts);
  const merged = { ...configFromEnvironment(opts.env ?? process.env), ...file.values };
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(`config: ${describeIssue(result.error)}`);
  const config = result.data;
  return { ...config, dataDir: dataDirectory(opts, config.dataDir), configPath: file.path };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const key = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') return `${[key, ...issue.keys].filter((k) => k !== '(top level)').join('.')}: unknown key`;
  return `${key}: ${issue.message}`;
}

/** Resolves `{ env: NAME }` references; a reference to an unset variable is a configuration error. */
export function resolveSecret(value: string | { env: string } | undefined, key: string, env = process.env): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const resolved = env[value.env];
  if (resolved === undefined) throw new ConfigError(`config: ${key}: environment variable ${value.env} is not set`);
  return resolved;
}
