#!/usr/bin/env node
// Runs the bundled JavaScript (dist/, built by `npm install` or `npm run build`) when it is current,
// otherwise the TypeScript sources through tsx: a fresh clone needs no build step, and an edited
// one never runs stale code. Bundled, a command starts in a fraction of the time, which counts for
// `|postdesk ingest -` (one process per mail).
import { currentCompiledEntry } from './compiled-entry.js';

// `postdesk deliver`, run by an MTA for every mail, has an entry of its own that loads neither the
// CLI nor the application: only the words after it are its options.
const entry = process.argv[2] === 'deliver' ? 'deliver-entry' : 'main';
const bundle = currentCompiledEntry(undefined, `${entry}.cjs`);
if (bundle) {
  const { runBundle } = await import('./run-bundle.js');
  runBundle(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`../src/cli/${entry}.ts`);
}
