// The shared corpora live beside the repo (../shared/corpora). A user's fresh clone has none:
// the tests that read them are skipped there, loudly; in CI (CI=true) their absence is a failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIfAvailable } from './requirements.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHARED_CORPORA = path.resolve(REPO_ROOT, '../shared/corpora');
export const hasSharedCorpora = fs.existsSync(SHARED_CORPORA);

export function corpusPath(...parts: string[]): string {
  return path.join(SHARED_CORPORA, ...parts);
}

export function describeWithSharedCorpora(name: string, body: () => void): void {
  const problem = `${SHARED_CORPORA} is missing: put shared/ beside the repo (CI must check it out there)`;
  describeIfAvailable(name, hasSharedCorpora ? null : problem, body);
}
