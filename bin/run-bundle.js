// Runs a CommonJS bundle from dist/ with the V8 code cache that the build wrote beside it: compiled
// and warmed up once by the build, the bundle's functions are not parsed and compiled again in every
// process, which saves a quarter of the CPU time of `|postdesk ingest -` (one process per mail).
// CommonJS because Node.js 20 caches no compiled ES modules (module.enableCompileCache is Node 22).
// A cache that V8 rejects (another Node.js version, other V8 flags) costs only that time.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import Module, { createRequire } from 'node:module';

/** The code cache of a bundle: the build writes it, the postdesk command only reads it. */
export const codeCacheOf = (bundle) => `${bundle}.cache`;

/**
 * Runs the bundle as Node.js runs a CommonJS module; with writeCache, saves its code cache at exit.
 * Returns whether V8 took the stored cache.
 */
export function runBundle(bundle, { writeCache = false } = {}) {
  const cache = codeCacheOf(bundle);
  const cachedData = writeCache ? undefined : readCache(cache);
  const script = new vm.Script(Module.wrap(sourceOf(bundle)), { filename: bundle, cachedData });
  // At exit, V8 includes every function compiled so far: the ones the build's sample run needed.
  // Readable by all, like the bundle: the build may run as root (npm install) under the commands'
  // umask 077, and the service as another user.
  if (writeCache) process.once('exit', () => (fs.writeFileSync(cache, script.createCachedData()), fs.chmodSync(cache, 0o644)));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return cachedData !== undefined && !script.cachedDataRejected;
}

/** The stored cache, or none when it is missing or unreadable: then V8 compiles, a little slower. */
function readCache(cache) {
  try {
    return fs.readFileSync(cache);
  } catch {
    return undefined;
  }
}

/** The bundle's text: the build makes it ASCII, which V8 keeps in one byte a character, unlike UTF-8 it decodes. */
function sourceOf(bundle) {
  const bytes = fs.readFileSync(bundle);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}
