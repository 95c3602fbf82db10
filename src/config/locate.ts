// Where the configuration file and the data directory are: one rule for every command, including
// `postdesk deliver`, which reads nothing more of the configuration than its dataDir.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../cli/errors.ts';

export interface LocateOptions {
  configPath?: string;
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ConfigFileContent {
  /** Absolute path of the file, or null when there is none (the optional default was absent). */
  path: string | null;
  /** The file's JSON, not yet validated; {} without a file. */
  values: Record<string, unknown>;
}

/** Reads --config, else POSTDESK_CONFIG, else ./postdesk.config.json; only that default may be absent. */
export function readConfigFile(opts: LocateOptions = {}): ConfigFileContent {
  if (opts.configPath?.trim() === '') throw new ConfigError('--config: empty (give a file)');
  const explicit = opts.configPath ?? nonEmpty(opts.env ?? process.env, 'POSTDESK_CONFIG');
  const file = path.resolve(opts.cwd ?? process.cwd(), explicit ?? 'postdesk.config.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return { path: null, values: {} };
    throw new ConfigError(`config ${file}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'a directory, not a file' : `cannot read (${code})`}`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config ${file}: not valid JSON: ${(err as Error).message}`);
  }
  // `[]` or `null` would otherwise pass as an empty configuration.
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigError(`config ${file}: expected a JSON object ({ ... }) at the top level, got ${Array.isArray(values) ? 'an array' : JSON.stringify(values)}`);
  }
  return { path: file, values: values as Record<string, unknown> };
}

/**
 * A POSTDESK_* variable's value; set but empty is an error, not "unset": an empty POSTDESK_DATA
 * would put the data into the working directory.
 */
export function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value !== undefined && value.trim() === '') throw new ConfigError(`config: ${name}: set but empty (unset it, or give a value)`);
  return value;
}

/** The data directory: --data, else POSTDESK_DATA, else the config file's dataDir, else ./data. */
export function dataDirectory(opts: LocateOptions, configured: string | undefined): string {
  // Like an empty POSTDESK_DATA: it would put the data into the working directory.
  if (opts.dataDir?.trim() === '') throw new ConfigError('--data: empty (give a directory)');
  return path.resolve(opts.cwd ?? process.cwd(), opts.dataDir ?? nonEmpty(opts.env ?? process.env, 'POSTDESK_DATA') ?? configured ?? 'data');
}

/**
 * The data directory, reading no more of the configuration than its dataDir, and not even the file
 * when --data or POSTDESK_DATA decides (for `deliver` and the failure log of a mail pipe).
 */
export function locateDataDir(opts: LocateOptions): string {
  if (opts.dataDir !== undefined || (opts.env ?? process.env).POSTDESK_DATA !== undefined) return dataDirectory(opts, undefined);
  const configured = readConfigFile(opts).values.dataDir;
  if (configured !== undefined && (typeof configured !== 'string' || configured === '')) throw new ConfigError('config: dataDir: expected a directory name');
  return dataDirectory(opts, configured);
}
