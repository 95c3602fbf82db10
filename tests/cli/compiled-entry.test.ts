import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the bin, without type declarations
import { currentCompiledEntry } from '../../bin/compiled-entry.js';
import { REPO_ROOT } from '../helpers/shared-corpora.ts';
import { cleanEnv } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

/** A package folder with sources and their compiled files, each with the given modification time. */
function packageWith(files: Record<string, number>): string {
  const root = tempDir();
  for (const [file, seconds] of Object.entries(files)) {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, '');
    fs.utimesSync(full, seconds, seconds);
  }
  return root;
}

describe('which code the postdesk command runs', () => {
  it('runs the build only while it is as new as every source and the installed libraries', () => {
    const built = { 'src/cli/main.ts': 100, 'src/app.ts': 100, 'node_modules/.package-lock.json': 100, 'dist/main.js': 200, 'dist/chunk-A.js': 200 };
    expect(currentCompiledEntry(packageWith(built))).toMatch(/^file:.*\/dist\/main\.js$/);
    expect(currentCompiledEntry(packageWith(built), 'worker.js')).toBeNull();
    // An edited source, a new one, a library installed or updated since the build, a partial build.
    expect(currentCompiledEntry(packageWith({ ...built, 'src/app.ts': 300 }))).toBeNull();
    expect(currentCompiledEntry(packageWith({ ...built, 'src/store/new.ts': 300 }))).toBeNull();
    expect(currentCompiledEntry(packageWith({ ...built, 'node_modules/.package-lock.json': 300 }))).toBeNull();
    expect(currentCompiledEntry(packageWith({ ...built, 'dist/chunk-A.js': 50 }))).toBeNull();
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

  // npm install builds dist/ (the prepare script), so the CLI tests of a CI run exercise the compiled
  // code that users run; a developer's edited checkout runs the sources instead.
  it.runIf(process.env.CI)('runs the build in CI, where npm install has just made it', () => {
    expect(currentCompiledEntry()).toBe(`file://${path.join(REPO_ROOT, 'dist/main.js')}`);
  });
});
