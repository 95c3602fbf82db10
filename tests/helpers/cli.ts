import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './shared-corpora.ts';

export const POSTDESK_BIN = path.join(REPO_ROOT, 'bin/postdesk.js');

/** Environment for a child postdesk: none of the shell's POSTDESK_* settings leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('POSTDESK_')));
  return { ...env, ...extra };
}

export interface PostdeskRun {
  input?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  /** Run as an unprivileged user (`nobody` through runuser when the tests run as root, as in CI), so that file permissions apply. */
  unprivileged?: boolean;
  /** Kill the child after this long (its status is then null): for commands that used to hang. */
  timeoutMs?: number;
}

export function postdesk(args: string[], opts: PostdeskRun = {}): SpawnSyncReturns<string> {
  const command = [process.execPath, POSTDESK_BIN, ...args];
  if (opts.unprivileged && process.getuid?.() === 0) command.unshift('runuser', '-u', 'nobody', '--');
  return spawnSync(command[0], command.slice(1), {
    input: opts.input,
    env: cleanEnv(opts.env),
    cwd: opts.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeoutMs,
  });
}

export function postdeskAsync(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return spawn(process.execPath, [POSTDESK_BIN, ...args], { env: cleanEnv(opts.env), cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the child's stderr so far once it matches pattern. */
export function waitForOutput(child: ReturnType<typeof postdeskAsync>, pattern: RegExp, timeoutMs: number): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        resolve(seen);
      }
    };
    child.stderr.on('data', onData);
  });
}

export function jsonLines<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}
