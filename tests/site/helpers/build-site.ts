// Runs the real site build (`astro build --root site`) with the given environment.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');

/** `root`: the checkout to build (default this one; bench:site also builds an older version). */
export function buildSite(env: Record<string, string>, outDir?: string, root = REPO): Promise<{ code: number | null; output: string }> {
  const args = [path.join(REPO, 'node_modules/astro/astro.js'), 'build', '--root', 'site', ...(outDir ? ['--outDir', outDir] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, ASTRO_TELEMETRY_DISABLED: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}
