#!/usr/bin/env node
// Runs the compiled JavaScript (dist/, built by `npm install` or `npm run build`) when it is current,
// otherwise the TypeScript sources through tsx: a fresh clone needs no build step, and an edited
// one never runs stale code. Compiled, a command starts in well under half the time, which counts
// for `|postdesk ingest -` (one process per mail).
import { currentCompiledEntry } from './compiled-entry.js';

const compiled = currentCompiledEntry();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
