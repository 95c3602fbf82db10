// A fresh App for each test, and a probe filter slipped into the commit phase right after
// store-message (when the mail's ticket and message rows are written but not committed), removed
// after each test. Shared by the transaction tests.
import { afterEach, beforeEach } from 'vitest';
import { commitFilters } from '../../src/inbound/pipeline.ts';
import type { CommitFilter } from '../../src/inbound/context.ts';
import { storeMessage } from '../../src/inbound/filters/store-message.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

/** The current test's App: made before each test, closed after it, with any probe removed. */
export function appForEachTest(): () => TestApp {
  let app: TestApp | undefined;
  beforeEach(async () => {
    app = await testApp();
  });
  afterEach(async () => {
    const at = commitFilters.findIndex((f) => f.name === 'probe');
    if (at >= 0) commitFilters.splice(at, 1);
    await app?.close();
  });
  return () => app!;
}

/** Runs `probe` right after store-message. */
export function afterStoreMessage(run: CommitFilter['run']): void {
  commitFilters.splice(commitFilters.indexOf(storeMessage) + 1, 0, { name: 'probe', run });
}
