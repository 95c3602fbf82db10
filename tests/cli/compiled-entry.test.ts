import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the bin, without type declarations
import { currentCompiledEntry } from '../../bin/compiled-entry.js';
import { REPO_ROOT } from '../helpers/shared-corpora.ts';
import { cleanEnv } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

/** A package folder with the given files, each with the given modification time in seconds. */
function packageWith(files: Record<string, number>): string {
  const root = tempDir();
  for (const [file, seconds] of Object.entries(files)) {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    // The build's manifest lists what went into it: here, every file of src/ and site/.
    const inputs = Object.keys(files).filter((name) => /^(src|site)\//.test(name));
    fs.writeFileSync(full, file === 'dist/inputs.json' ? JSON.stringify(inputs) : '');
    fs.utimesSync(full, seconds, seconds);
  }
  return root;
}

describe('which code the postdesk command runs', () => {
  it('runs the build only while it is as new as every file that went into it and the installed libraries', () => {
    const built = {
      'src/cli/main.ts': 100,
      'site/src/lib/urls.ts': 100,
      'node_modules/.package-lock.json': 100,
      'dist/main.cjs': 200,
      'dist/inputs.json': 200,
    };
    expect(currentCompiledEntry(packageWith(built))).toMatch(/\/dist\/main\.cjs$/);
    expect(currentCompiledEntry(packageWith(built), 'worker.cjs')).toBeNull();
    // An edited source, here or imported from the site; libraries installed or updated since the build.
    expect(currentCompiledEntry(packageWith({ ...built, 'src/cli/main.ts': 300 }))).toBeNull();
    expect(currentCompiledEntry(packageWith({ ...built, 'site/src/lib/urls.ts': 300 }))).toBeNull();
    expect(currentCompiledEntry(packageWith({ ...built, 'node_modules/.package-lock.json': 300 }))).toBeNull();
    // A build that stopped before writing its manifest, and no build.
    const { 'dist/inputs.json': _, ...unfinished } = built;
    expect(currentCompiledEntry(packageWith(unfinished))).toBeNull();
    expect(currentCompiledEntry(packageWith({ 'src/cli/main.ts': 100 }))).toBeNull();
  });

  it('runs the TypeScript sources through tsx when there is no build', () => {
    // The bin and its helper in a package folder without dist/; everything else is the repository's.
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'bin'));
    for (const file of ['postdesk.js', 'compiled-entry.js']) fs.copyFileSync(path.join(REPO_ROOT, 'bin', file), path.join(root, 'bin', file));
    for (const link of ['src', 'site', 'node_modules', 'package.json', 'templates']) fs.symlinkSync(path.join(REPO_ROOT, link), path.join(root, link));
    const run = spawnSync(process.execPath, [path.join(root, 'bin/postdesk.js'), '--version'], { env: cleanEnv(), encoding: 'utf8' });
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(run).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  // Without it, every process compiles the whole bundle again: `ingest -` takes 0.1 s more per mail.
  it.runIf(process.env.CI || currentCompiledEntry())('runs the bundle with the code cache the build stored, which V8 accepts', () => {
    const bundle = currentCompiledEntry();
    const runBundle = pathToFileURL(path.join(REPO_ROOT, 'bin/run-bundle.js')).href;
    const script = `import { runBundle } from ${JSON.stringify(runBundle)}; process.stderr.write(String(runBundle(${JSON.stringify(bundle)})));`;
    // Started as bin/postdesk.js starts it: node, then the command line.
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, bundle, '--version'], { env: cleanEnv(), encoding: 'utf8' });
    expect(run).toMatchObject({ status: 0, stderr: 'true' });
  });

  // npm install builds dist/ (the prepare script), so the CLI tests of a CI run exercise the compiled
  // code that users run; a developer's edited checkout runs the sources instead.
  it.runIf(process.env.CI)('runs the build in CI, where npm install has just made it', () => {
    expect(currentCompiledEntry()).toBe(path.join(REPO_ROOT, 'dist/main.cjs'));
  });
});
