// Builds dist/: each program Postdesk starts (the CLI, `postdesk deliver`, the decode worker) bundled
// with its libraries by esbuild. An MTA starts one process per mail, and resolving and loading the
// hundreds of files of the libraries one by one cost more than the mail itself.
// Every entry and shared chunk lands side by side in dist/: the decode pool finds ./worker.js beside
// itself. Templates and migrations are read at run time from the package root, not bundled.
// Run: npm run build (npm install runs it); types are checked by npm run typecheck, not here.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', 'deliver-entry': 'src/cli/deliver-entry.ts', worker: 'src/inbound/decode/worker.ts' },
  outdir: dist,
  bundle: true,
  // Shared chunks, loaded on first import: a verb's libraries load only when that verb runs.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // A native addon is found by its package at run time.
  external: ['better-sqlite3'],
  // The CommonJS libraries inside an ES module bundle call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
