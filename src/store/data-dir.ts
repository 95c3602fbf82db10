// The data directory, checked before anything opens a file in it, so that a path that cannot work
// fails at once with one line naming it. Missing directories are created one level at a time:
// Node 20's recursive mkdirSync retries forever when a parent refuses with ENOENT (as /proc does).
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../cli/errors.ts';
import { PRIVATE_DIR } from './private-data.ts';

/** Creates dir and its missing parents, and checks that this process may write into it. */
export function ensureDataDir(dir: string): void {
  for (const missing of missingDirs(dir)) {
    try {
      fs.mkdirSync(missing, { mode: PRIVATE_DIR });
    } catch (err) {
      // Another process may have created it in between.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`data directory ${dir}: cannot create ${missing} (${reason(err)})`);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw new Error(`data directory ${dir}: not writable by this user (${reason(err)})`);
  }
}

/** The directories to create, outermost first; a file in the way is a configuration mistake. */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  // Each step goes up one level, so the walk ends at the root at the latest.
  for (let p = dir; ; p = path.dirname(p)) {
    const stat = statOrMissing(dir, p);
    if (stat) {
      if (!stat.isDirectory()) throw new ConfigError(`data directory ${dir}: ${p === dir ? 'not a directory' : `${p} is not a directory`}`);
      return missing;
    }
    missing.unshift(p);
    if (path.dirname(p) === p) return missing;
  }
}

function statOrMissing(dir: string, p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a file further up, which the walk reaches next.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new Error(`data directory ${dir}: cannot look at ${p} (${reason(err)})`);
  }
}

/** "EACCES: permission denied" from Node's "EACCES: permission denied, mkdir '/x'": the path is said already. */
function reason(err: unknown): string {
  return (err as Error).message.replace(/, \w+ '.*'$/, '');
}
