import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './shared-corpora.ts';

export const POSTDESK_BIN = path.join(REPO_ROOT, 'bin/postdesk.js');

/** Environment for a child postdesk: none of the shell's POSTDESK_* settings leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('POSTDESK_')));
  return { ...env, ...extra };
}

export function postdesk(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [POSTDESK_BIN, ...args], {
    input: opts.input,
    env: cleanEnv(opts.env),
    cwd: opts.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function postdeskAsync(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return spawn(process.execPath, [POSTDESK_BIN, ...args], { env: cleanEnv(opts.env), cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function jsonLines<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
