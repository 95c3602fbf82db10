import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    // Several workers share a PostgreSQL database: those suites run in the PostgreSQL half only
    // (scripts/test-postgres.ts), where the global setup starts the cluster they share.
    exclude: [...configDefaults.exclude, ...(process.env.POSTDESK_TEST_DATABASE === 'postgres' ? [] : ['tests/workers/**'])],
    globalSetup: ['tests/global-setup.ts'],
    // better-sqlite3 and child processes behave best in forked workers; integration tests need time.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
