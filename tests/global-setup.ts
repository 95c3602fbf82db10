// Every temporary folder a test run makes (data directories, Maildirs, Dovecot homes, site builds)
// goes under one folder that is removed when the run ends: runs used to leave gigabytes in /tmp.
// In the PostgreSQL run (POSTDESK_TEST_DATABASE=postgres) one cluster serves the whole run: see
// tests/helpers/test-database.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migratePostgres } from '../src/store/pg/migrate.ts';
import { postgresMissing, startPostgres } from './harness/postgres.ts';
import { TEST_DATABASE_ENV, testDatabaseIsPostgres } from './helpers/test-database.ts';

const TEMPLATE = 'postdesk_template';

export default async function setup(): Promise<() => Promise<void>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-tests-'));
  // Like /tmp itself: Dovecot's mail processes run as another user and must reach their homes here.
  fs.chmodSync(root, 0o1777);
  // os.tmpdir() reads TMPDIR, here and in the forked test workers and the processes they start.
  process.env.TMPDIR = root;
  const stopPostgres = testDatabaseIsPostgres() ? await startTestCluster() : async () => {};
  return async () => {
    await stopPostgres();
    fs.rmSync(root, { recursive: true, force: true });
  };
}

/** The cluster and its migrated template; the workers inherit where they are through the environment. */
async function startTestCluster(): Promise<() => Promise<void>> {
  const missing = postgresMissing();
  if (missing) throw new Error(`POSTDESK_TEST_DATABASE=postgres: ${missing}`);
  const cluster = await startPostgres();
  await cluster.admin((c) => c.query(`ALTER ROLE ${cluster.role} CREATEDB`));
  const templateUrl = await cluster.createDatabase({ name: TEMPLATE });
  const pool = new pg.Pool({ connectionString: templateUrl });
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
  process.env[TEST_DATABASE_ENV.url] = cluster.url;
  process.env[TEST_DATABASE_ENV.template] = TEMPLATE;
  process.stderr.write(`tests run on ${cluster.label} (127.0.0.1:${cluster.port}), one database per test App\n`);
  return () => cluster.stop();
}
