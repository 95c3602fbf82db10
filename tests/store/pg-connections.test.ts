// How many PostgreSQL connections one Postdesk process opens: at most database.maxConnections (default
// 14), so that an admin can run as many workers as the server's max_connections allows. Counted by
// the server (pg_stat_activity) while the process's pools are as busy as they can be, and checked
// that a small budget still ingests a burst of mails. The database is of a cluster of this suite's
// own, so this file runs once (scripts/test-postgres.ts lists it).
import crypto from 'node:crypto';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { describeWithPostgres, postgresForSuite, type PostgresCluster } from '../harness/postgres.ts';
import { countOf, rowsOf } from '../helpers/db-rows.ts';
import { buildMail } from '../helpers/mail.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

describeWithPostgres('PostgreSQL connections of one process', () => {
  const cluster = postgresForSuite();
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function appWith(maxConnections: number | undefined): Promise<{ app: TestApp; database: string }> {
    const url = await cluster().createDatabase();
    const app = await testApp({ database: { url, ...(maxConnections === undefined ? {} : { maxConnections }) }, ingest: { decodeWorkers: 0 } });
    apps.push(app);
    return { app, database: new URL(url).pathname.slice(1) };
  }

  /** The most connections to the database seen while the app's pools all wait on slow queries and content puts. */
  async function mostConnectionsUnderLoad(c: PostgresCluster, app: TestApp, database: string): Promise<number> {
    let most = 0;
    let busy = true;
    const watching = (async () => {
      const admin = new pg.Client({ host: c.dir, port: c.port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      try {
        while (busy) {
          const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [database]);
          most = Math.max(most, Number(rows[0].n));
          await new Promise((r) => setTimeout(r, 10));
        }
      } finally {
        await admin.end();
      }
    })();
    await Promise.all([
      ...Array.from({ length: 20 }, () => rowsOf(app, 'SELECT pg_sleep(0.3)')),
      ...Array.from({ length: 10 }, () => app.raw.put(crypto.randomBytes(1000))),
    ]);
    busy = false;
    await watching;
    return most;
  }

  it('stays within database.maxConnections however busy, and uses that many', async () => {
    for (const [budget, expected] of [[3, 3], [6, 6], [undefined, 14]] as const) {
      const { app, database } = await appWith(budget);
      expect(await mostConnectionsUnderLoad(cluster(), app, database), `maxConnections ${budget ?? 'default'}`).toBe(expected);
    }
  });

  it('ingests a burst of mails with attachments on the smallest budget', async () => {
    const { app } = await appWith(3);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ingestRawMail(app, {
          source: `m${i}`,
          mailbox: app.mailboxes[0],
          raw: buildMail({ from: `c${i % 5}@customer.example`, subject: `Question ${i}`, attachments: [{ filename: `scan-${i}.pdf`, content: crypto.randomBytes(2000), contentType: 'application/pdf' }] }),
          receivedAt: app.now(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'quarantined')).toEqual([]);
    expect(await countOf(app, 'SELECT count(*) AS n FROM attachments')).toBe(30);
  });
});
