// Whether the bundles in dist/ may run: only when the build is at least as new as every file of this
// repository that went into it and as the installed libraries, so that an edited, freshly pulled or
// updated checkout never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The path of a bundle (the CLI's by default) when the build is current; null when the sources must run instead. */
export function currentCompiledEntry(root = packageRoot, bundle = 'main.cjs') {
  // Written last by scripts/build.ts: the files it lists, relative to the package root.
  const manifest = path.join(root, 'dist/inputs.json');
  const entry = path.join(root, 'dist', bundle);
  if (!fs.existsSync(manifest) || !fs.existsSync(entry)) return null;
  const built = modified(manifest);
  // An npm install or update since the build rewrote node_modules/.package-lock.json.
  const inputs = [...JSON.parse(fs.readFileSync(manifest, 'utf8')), 'node_modules/.package-lock.json'];
  return inputs.every((file) => modified(path.join(root, file)) <= built) ? entry : null;
}

/** Modification time in ms; 0 for a file that is not there (a source gone is seen in the one that imported it). */
function modified(file) {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}
