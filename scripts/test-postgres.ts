// `npm test`'s second half: the integration suite again, on PostgreSQL (POSTDESK_TEST_DATABASE=postgres,
// see tests/helpers/test-database.ts). Without PostgreSQL it fails in CI and says how to install it,
// and elsewhere says loudly that this half did not run.
import { spawnSync } from 'node:child_process';
import { postgresMissing } from '../tests/harness/postgres.ts';

/**
 * The suites that run on both databases: everything that stores, reads or sends through the store;
 * and tests/workers, several workers on one database, which runs here only (tests/vitest.config.ts).
 */
const INTEGRATION = ['tests/inbound', 'tests/intake', 'tests/imap', 'tests/outbound', 'tests/sla', 'tests/reports', 'tests/customers', 'tests/gaps', 'tests/cli', 'tests/store', 'tests/workers'];

/**
 * About SQLite's own files and connections (WAL, packs, file modes, its migration runner, the demo's
 * own SQLite), or starting clusters of their own: nothing more to learn from a second run.
 */
const SQLITE_ONLY = [
  'tests/inbound/transaction-turns.test.ts',
  'tests/store/migrate-race.test.ts',
  'tests/store/pack-compaction.test.ts',
  'tests/store/pack-store.test.ts',
  'tests/store/pg-schema-parity.test.ts',
  'tests/store/pg-migrate.test.ts',
  'tests/store/content-store.test.ts',
  'tests/store/pg-contents.test.ts',
  'tests/store/pg-writer-turns.test.ts',
  'tests/store/pg-connections.test.ts',
  'tests/store/backup-snapshot.test.ts',
  'tests/cli/db-backup.test.ts',
  'tests/cli/db-copy.test.ts',
  'tests/cli/private-data.test.ts',
  'tests/cli/demo.test.ts',
  'tests/cli/newer-database.test.ts',
];

const missing = postgresMissing();
if (missing) {
  if (process.env.CI === 'true') {
    process.stderr.write(`npm test: the PostgreSQL half of the suite cannot run: ${missing}\n`);
    process.exit(1);
  }
  process.stderr.write(`\n*** SKIPPED: the integration suite on PostgreSQL (${missing}) ***\n\n`);
  process.exit(0);
}
const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', '--config', 'tests/vitest.config.ts', ...INTEGRATION, ...SQLITE_ONLY.flatMap((file) => ['--exclude', file])], {
  stdio: 'inherit',
  env: { ...process.env, POSTDESK_TEST_DATABASE: 'postgres' },
});
process.stderr.write(`the integration suite on PostgreSQL took ${Math.round((Date.now() - started) / 1000)} s\n`);
process.exit(run.status ?? 1);
