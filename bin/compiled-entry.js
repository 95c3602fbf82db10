// Whether the bundled JavaScript in dist/ may run: only when it is at least as new as every source
// and library it was built from, so that an edited, freshly pulled or updated checkout never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The URL of a bundled entry (the CLI's by default) when the build is current; null when the sources must run instead. */
export function currentCompiledEntry(root = packageRoot, entryFile = 'main.js') {
  const dist = path.join(root, 'dist');
  const entry = path.join(dist, entryFile);
  if (!fs.existsSync(entry)) return null;
  const built = Math.min(...fs.readdirSync(dist).filter((file) => file.endsWith('.js')).map((file) => modified(path.join(dist, file))));
  // Every entry bundles most of src/, so any newer source makes the whole build stale; so does an
  // npm install or update since the build, which rewrites node_modules/.package-lock.json.
  const src = path.join(root, 'src');
  const inputs = fs.readdirSync(src, { recursive: true }).filter((file) => /\.[jt]s$/.test(file)).map((file) => path.join(src, file));
  inputs.push(path.join(root, 'scripts/build.ts'), path.join(root, 'node_modules/.package-lock.json'));
  return inputs.every((file) => modified(file) <= built) ? pathToFileURL(entry).href : null;
}

/** Modification time in ms; 0 for a file that is not there. */
function modified(file) {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}
