// Two workers on one PostgreSQL database — two Apps, two pools — committing mails at the same
// moment. The pipeline reads, decides, then writes (is this customer new? was this mail stored?);
// side by side, both would decide on the same picture and one commit would fail on a unique index.
// Write transactions take turns (src/store/pg/database.ts), so the second sees the first's commit.
// The database is of a cluster of this suite's own, so this file runs once, in the SQLite run too
// (scripts/test-postgres.ts lists it).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { commitFilters, ingestRawMail } from '../../src/inbound/pipeline.ts';
import { identifySender } from '../../src/inbound/filters/identify-sender.ts';
import { describeWithPostgres, postgresForSuite } from '../harness/postgres.ts';
import { countOf, rowsOf } from '../helpers/db-rows.ts';
import { buildMail } from '../helpers/mail.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

describeWithPostgres('write transactions of several workers on PostgreSQL', () => {
  const cluster = postgresForSuite();
  const apps: TestApp[] = [];
  afterEach(async () => {
    const at = commitFilters.findIndex((f) => f.name === 'probe');
    if (at >= 0) commitFilters.splice(at, 1);
    for (const app of apps.splice(0)) await app.close();
  });

  /** Two workers on one new database, each mail's transaction held open a while after the sender is known. */
  async function twoWorkers(): Promise<[TestApp, TestApp]> {
    const url = await cluster().createDatabase();
    for (let i = 0; i < 2; i++) apps.push(await testApp({ database: { url } }));
    commitFilters.splice(commitFilters.indexOf(identifySender) + 1, 0, { name: 'probe', run: () => sleep(150) });
    return [apps[0], apps[1]];
  }
  const ingest = (app: TestApp, raw: Buffer) => ingestRawMail(app, { source: 'test', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });

  it('store two first mails of one new customer as one customer with two tickets, nothing quarantined', async () => {
    const [a, b] = await twoWorkers();
    const results = await Promise.all([
      ingest(a, buildMail({ from: 'Ann <ann@customer.example>', subject: 'Printer jammed' })),
      ingest(b, buildMail({ from: 'Ann <ann@customer.example>', subject: 'Invoice missing' })),
    ]);

    expect(results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(await countOf(a, 'SELECT count(*) AS n FROM customers')).toBe(1);
    expect(await countOf(a, 'SELECT count(*) AS n FROM tickets')).toBe(2);
    expect(await countOf(a, 'SELECT count(*) AS n FROM quarantine')).toBe(0);
  });

  it('store one mail delivered to both workers at once, and the other copy as its duplicate', async () => {
    const [a, b] = await twoWorkers();
    const raw = buildMail({ from: 'bob@customer.example', messageId: 'same@customer.example', subject: 'Cc to support and sales' });
    const results = await Promise.all([ingest(a, raw), ingest(b, raw)]);

    expect(results.map((r) => r.status).sort()).toEqual(['created', 'duplicate']);
    expect(await countOf(a, 'SELECT count(*) AS n FROM messages WHERE message_id = ?', 'same@customer.example')).toBe(1);
    expect(await countOf(a, 'SELECT count(*) AS n FROM tickets')).toBe(1);
    expect(await countOf(a, 'SELECT count(*) AS n FROM quarantine')).toBe(0);
  });

  it('end a transaction its worker left idle for a minute, so a stuck worker cannot keep the others waiting', async () => {
    const [a] = await twoWorkers();
    expect(await rowsOf(a, 'SHOW idle_in_transaction_session_timeout')).toEqual([{ idle_in_transaction_session_timeout: '1min' }]);
  });
});
