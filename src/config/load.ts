// Loads postdesk.config.json (or --config / POSTDESK_CONFIG), folds in the POSTDESK_* environment
// variables, validates, and resolves secret references. Every failure is one line naming the key.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../cli/errors.ts';
import { configSchema, type Config } from './schema.ts';
import { configFromEnvironment } from './environment.ts';

export interface LoadOptions {
  configPath?: string;
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface LoadedConfig extends Config {
  dataDir: string;
  configPath: string | null;
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const explicit = opts.configPath ?? env.POSTDESK_CONFIG;
  const configPath = path.resolve(cwd, explicit ?? 'postdesk.config.json');
  let fromFile: Record<string, unknown> = {};
  if (fs.existsSync(configPath)) {
    try {
      fromFile = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    } catch (err) {
      throw new UsageError(`config ${configPath}: not valid JSON: ${(err as Error).message}`);
    }
  } else if (explicit) {
    throw new UsageError(`config ${configPath}: file not found`);
  }
  const merged = { ...configFromEnvironment(env), ...fromFile };
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new UsageError(`config: ${describeIssue(result.error)}`);
  const config = result.data;
  const dataDir = path.resolve(cwd, opts.dataDir ?? env.POSTDESK_DATA ?? config.dataDir ?? 'data');
  return { ...config, dataDir, configPath: fs.existsSync(configPath) ? configPath : null };
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
  if (resolved === undefined) throw new UsageError(`config: ${key}: environment variable ${value.env} is not set`);
  return resolved;
}
