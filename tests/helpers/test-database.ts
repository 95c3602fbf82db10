// The integration suite runs on both databases: `npm test` on SQLite, and again on PostgreSQL with
// POSTDESK_TEST_DATABASE=postgres (.ci/run does both). In the PostgreSQL run the global setup starts
// one throwaway cluster with a migrated template database; each test App gets a copy of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Set by tests/global-setup.ts in the PostgreSQL run: the cluster's URL and the template's name. */
export const TEST_DATABASE_ENV = { url: 'POSTDESK_TEST_PG_URL', template: 'POSTDESK_TEST_PG_TEMPLATE' } as const;

export function testDatabaseIsPostgres(): boolean {
  return process.env.POSTDESK_TEST_DATABASE === 'postgres';
}

/** The `database` config section for a new test App: absent on SQLite, a fresh database on PostgreSQL. */
export async function testDatabaseConfig(): Promise<{ url: string } | undefined> {
  if (!testDatabaseIsPostgres()) return undefined;
  const url = process.env[TEST_DATABASE_ENV.url];
  const template = process.env[TEST_DATABASE_ENV.template];
  if (!url || !template) throw new Error('POSTDESK_TEST_DATABASE=postgres, but the global setup started no cluster');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Copies of one template made at the same moment: PostgreSQL refuses a copy while another
    // session is connected to the template, so a refused copy is tried again.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`);
        break;
      } catch (err) {
        if (!/being accessed by other users/.test((err as Error).message) || attempt >= 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    await client.end();
  }
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return { url: copy.toString() };
}
