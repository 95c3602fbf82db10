// Suites that need something a machine may lack: a server, a tool, the shared corpora beside the repo.
import { describe, it } from 'vitest';

/**
 * Runs the suite when `problem` is null. Otherwise it fails in CI (CI=true) with the problem, which
 * names the fix, and elsewhere skips loudly. A skipped suite's body is not run: vitest would run it to
 * collect the tests, and bodies may read what is missing.
 */
export function describeIfAvailable(name: string, problem: string | null, body: () => void): void {
  if (problem === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs what it tests with', () => {
        throw new Error(problem);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": ${problem}`);
  describe.skip(name, () => {
    it(problem, () => {});
  });
}
