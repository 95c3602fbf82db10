// `npm start` as the README gives it: SIGTERM to npm stops the service itself, no orphan left behind.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/shared-corpora.ts';
import { tempDir } from '../helpers/test-app.ts';

/** The pids of processes whose command line names this data directory. */
function processesUsing(dataDir: string): string[] {
  const found = spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).stdout.trim();
  return found ? found.split('\n') : [];
}

it('SIGTERM to `npm start` stops postdesk run within 5 s and leaves no process behind', async () => {
  const dataDir = tempDir();
  const npm = spawn('npm', ['start', '--', '--data', dataDir], { cwd: REPO_ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  npm.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))));
  const deadline = Date.now() + 60_000;
  while (!/watching .*inbox[/\\]new/.test(log)) {
    if (Date.now() > deadline) throw new Error(`postdesk run did not start; output:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(processesUsing(dataDir)).not.toEqual([]);
  const stoppedAt = Date.now();
  npm.kill('SIGTERM');
  expect(await exited).toBe(0);
  // Give a stray process a moment to show itself; the service itself must be gone by 5 s.
  while (processesUsing(dataDir).length && Date.now() - stoppedAt < 5000) await new Promise((r) => setTimeout(r, 100));
  expect(processesUsing(dataDir)).toEqual([]);
  expect(fs.existsSync(path.join(dataDir, 'inbox', 'new'))).toBe(true);
});
