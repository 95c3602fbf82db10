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
  const env = opts.env ?? process.env;
  const explicit = opts.configPath ?? env.POSTDESK_CONFIG;
  const file = path.resolve(opts.cwd ?? process.cwd(), explicit ?? 'postdesk.config.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (explicit) throw new ConfigError(`config ${file}: file not found`);
    return { path: null, values: {} };
  }
  try {
    return { path: file, values: JSON.parse(text) };
  } catch (err) {
    throw new ConfigError(`config ${file}: not valid JSON: ${(err as Error).message}`);
  }
}

/** The data directory: --data, else POSTDESK_DATA, else the config file's dataDir, else ./data. */
export function dataDirectory(opts: LocateOptions, configured: string | undefined): string {
  const env = opts.env ?? process.env;
  return path.resolve(opts.cwd ?? process.cwd(), opts.dataDir ?? env.POSTDESK_DATA ?? configured ?? 'data');
}

/**
 * The data directory, reading no more of the configuration than its dataDir, and not even the file
 * when --data or POSTDESK_DATA decides (for `deliver` and the failure log of a mail pipe).
 */
export function locateDataDir(opts: LocateOptions): string {
  if (opts.dataDir !== undefined || (opts.env ?? process.env).POSTDESK_DATA !== undefined) return dataDirectory(opts, undefined);
  const configured = readConfigFile(opts).values.dataDir;
  if (configured !== undefined && typeof configured !== 'string') throw new ConfigError('config: dataDir: expected a string');
  return dataDirectory(opts, configured);
}
