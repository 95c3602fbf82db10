import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // better-sqlite3 and child processes behave best in forked workers; integration tests need time.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
