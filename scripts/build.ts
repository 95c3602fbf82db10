// Builds dist/: each program Postdesk starts (the CLI, `postdesk deliver`, the decode worker) bundled
// with its libraries by esbuild into one CommonJS file, and a V8 code cache for the two that
// bin/postdesk.js runs, warmed up by one sample run each. An MTA starts one process per mail:
// resolving and loading hundreds of library files one by one, then compiling them, cost more than
// the mail itself. Templates and migrations are read at run time from the package root, not bundled.
// dist/inputs.json, written last, lists the files of this repository that went in, for
// bin/compiled-entry.js to tell whether the build is current.
// Run: npm run build (npm install runs it); types are checked by npm run typecheck, not here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', 'deliver-entry': 'src/cli/deliver-entry.ts', worker: 'src/inbound/decode/worker.ts' },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Found in node_modules at run time: the native addon, and the big libraries that `ingest -` does
  // not load, which would only lengthen the bundle every process reads (the IMAP client, and the
  // charset detector for the rare mail with raw 8-bit headers).
  external: ['better-sqlite3', 'imapflow', 'jschardet'],
  // They are loaded by import() on first use; the bundle runs in vm.Script (see bin/run-bundle.js),
  // where Node.js 20 has no loader for import(): esbuild turns it into require().
  supported: { 'dynamic-import': false },
  // The sources are ES modules: import.meta.url is the bundle's own (the decode pool finds worker.cjs beside it).
  define: { 'import.meta.url': 'import_meta_url' },
  banner: { js: "const import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  logLevel: 'warning',
});

// V8 holds an ASCII script in one byte a character and reads it several times faster than UTF-8,
// which it turns into two-byte text: a tenth of the CPU time of `ingest -`. esbuild escapes
// strings, but leaves comments, regular expressions and String.raw text as they are; there the
// same escape means the same character (a regular expression reads \uXXXX, surrogate pairs too),
// unless a backslash came before it.
for (const bundle of fs.readdirSync(dist).filter((file) => file.endsWith('.cjs')).map((file) => path.join(dist, file))) {
  const source = fs.readFileSync(bundle, 'utf8');
  const ascii = source.replace(/[^\0-\x7f]/g, (c, at: number) => {
    if (source[at - 1] === '\\') throw new Error(`build: ${bundle} has an escaped non-ASCII character at ${at}: ${source.slice(at - 40, at + 10)}`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  fs.writeFileSync(bundle, ascii);
}

// A mail that becomes a new ticket runs most of what `ingest -` ever runs.
const SAMPLE_MAIL = [
  'From: Ada Customer <ada@customer.example>',
  'To: support@example.com',
  'Subject: The charger is missing',
  'Date: Mon, 02 Nov 2026 08:00:00 +0000',
  'Message-ID: <build-sample@customer.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, my order arrived but the charger is missing.',
  '--b',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Hello, my order arrived but the <b>charger</b> is missing.</p>',
  '--b--',
  '',
].join('\r\n');

const sampleData = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-build-'));
try {
  const runBundle = pathToFileURL(path.join(root, 'bin/run-bundle.js')).href;
  for (const [entry, args] of [['main', ['ingest', '-']], ['deliver-entry', ['deliver']]] as const) {
    const bundle = path.join(dist, `${entry}.cjs`);
    const script = `import { runBundle } from ${JSON.stringify(runBundle)}; runBundle(${JSON.stringify(bundle)}, { writeCache: true });`;
    // process.argv as bin/postdesk.js leaves it: node, the script, then the command line.
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, bundle, ...args, '--data', path.join(sampleData, entry)], {
      input: SAMPLE_MAIL,
      encoding: 'utf8',
      // The defaults, not this machine's configuration.
      cwd: sampleData,
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('POSTDESK_'))),
    });
    if (run.status !== 0) throw new Error(`build: the sample run of ${entry} failed (exit ${run.status}): ${run.stderr}`);
  }
} finally {
  fs.rmSync(sampleData, { recursive: true, force: true });
}

const inputs = Object.keys(metafile.inputs).filter((file) => !file.includes('node_modules/'));
fs.writeFileSync(path.join(dist, 'inputs.json'), `${JSON.stringify([...inputs, 'scripts/build.ts'], null, 1)}\n`);
