import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.ts';
import { tempDir } from '../helpers/test-app.ts';

// Each process loads the store, waits for the starting gun, then opens the same fresh database.
const opener = `
  const fs = require('node:fs');
  const { openDatabase } = require(${JSON.stringify(path.join(packageRoot, 'src/store/db.ts'))});
  const [file, gun] = process.argv.slice(-2);
  while (!fs.existsSync(gun)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
  try { openDatabase(file).close(); } catch (err) { console.error(err.message); process.exit(1); }
`;

function startOpener(file: string, gun: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', opener, '--', file, gun], { cwd: packageRoot });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

describe('opening one fresh database from several processes at once', () => {
  it('migrates it once; no process fails on a table another created', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir();
      const file = path.join(dir, 'postdesk.sqlite');
      const gun = path.join(dir, 'go');
      const openers = Array.from({ length: 6 }, () => startOpener(file, gun));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      fs.writeFileSync(gun, '');
      const results = await Promise.all(openers.map((o) => o.done));
      expect(results).toEqual(results.map(() => ({ code: 0, stderr: '' })));
    }
  });
});
