// Whether the compiled JavaScript in dist/ may run: only when every compiled file is at least as new
// as its TypeScript source, so that an edited or freshly pulled checkout never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The URL of a compiled entry (the CLI's by default) when the build is current; null when the sources must run instead. */
export function currentCompiledEntry(root = packageRoot, entryFile = 'src/cli/main.js') {
  const dist = path.join(root, 'dist');
  const entry = path.join(dist, entryFile);
  if (!fs.existsSync(entry)) return null;
  // A changed source is newer than its output; a new source is imported by a changed one.
  for (const file of fs.readdirSync(dist, { recursive: true })) {
    if (!file.endsWith('.js')) continue;
    const source = fs.statSync(path.join(root, file.replace(/\.js$/, '.ts')), { throwIfNoEntry: false });
    if (!source || source.mtimeMs > fs.statSync(path.join(dist, file)).mtimeMs) return null;
  }
  return pathToFileURL(entry).href;
}
