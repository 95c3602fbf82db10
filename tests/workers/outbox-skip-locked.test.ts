// On PostgreSQL a claim skips a row that another transaction holds locked (FOR UPDATE SKIP LOCKED),
// instead of waiting for it. Here, in the PostgreSQL half only (tests/vitest.config.ts).
import pg from 'pg';
import { expect, it } from 'vitest';
import { listOutbox } from '../../src/store/outbox.ts';
import { claim, outboxWorkersSuite, queue } from '../outbound/outbox-workers.ts';

const suite = outboxWorkersSuite();

it('a claim skips a row another transaction holds locked instead of waiting for it', async () => {
  const [a, b] = await suite.twoWorkers();
  const [first, second] = await queue(a, 2);
  const firstId = (await listOutbox(a.db)).find((r) => r.messageId === first)!.id;
  // Another worker's claim transaction, still open, has locked the first due row.
  const holder = new pg.Client({ connectionString: a.config.database.kind === 'postgres' ? a.config.database.url : '' });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [firstId]);
    const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000).unref());
    const got = await Promise.race([claim(b), waited]);
    expect(got).toMatchObject({ messageId: second, claimedBy: 'b' });
    await holder.query('ROLLBACK');
    expect(await claim(b)).toMatchObject({ messageId: first, claimedBy: 'b' });
  } finally {
    await holder.end();
  }
});
