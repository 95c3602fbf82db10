// The shared corpora live beside the repo (../shared/corpora). A user's fresh clone has none:
// the tests that read them are skipped there, loudly; in CI (CI=true) their absence is a failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED_CORPORA = path.resolve(REPO_ROOT, '../shared/corpora');
export const hasSharedCorpora = fs.existsSync(SHARED_CORPORA);

export function corpusPath(...parts: string[]): string {
  return path.join(SHARED_CORPORA, ...parts);
}

export function describeWithSharedCorpora(name: string, body: () => void): void {
  if (hasSharedCorpora) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs ../shared/corpora', () => {
        throw new Error(`${SHARED_CORPORA} is missing: CI must check out shared/ beside the repo`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": ${SHARED_CORPORA} not found (put shared/ beside the repo to run it)`);
  // Not body: vitest runs the body of a skipped describe to collect its tests, and bodies read the corpus.
  describe.skip(name, () => {
    it(`needs ${SHARED_CORPORA}`, () => {});
  });
}
