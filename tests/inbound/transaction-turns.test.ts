// SQLite's transactions take turns on its one writing connection (src/store/transactions.ts): one
// started while another awaits waits for its commit, and then sees all of it. PostgreSQL runs them
// side by side on connections of their own, so this file is SQLite's (scripts/test-postgres.ts);
// what holds on both is in commit-transaction.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { commitFilters, ingestRawMail } from '../../src/inbound/pipeline.ts';
import { storeMessage } from '../../src/inbound/filters/store-message.ts';
import { getSetting, setSetting } from '../../src/store/settings.ts';
import { countOf } from '../helpers/db-rows.ts';
import { buildMail } from '../helpers/mail.ts';
import { appForEachTest } from './commit-probe.ts';

const currentApp = appForEachTest();

const ticketsSeen = (db = currentApp().db) => countOf({ db }, 'SELECT count(*) AS n FROM tickets');

describe('SQLite transactions', () => {
  it('let another loop write only after the mail being committed', async () => {
    const app = currentApp();
    const order: string[] = [];
    let seenByOtherLoop: number | undefined;
    let seenByOtherTransaction: number | undefined;
    let otherLoop: Promise<void> | undefined;
    commitFilters.splice(commitFilters.indexOf(storeMessage) + 1, 0, {
      name: 'probe',
      run: async () => {
        otherLoop = (async () => {
          await sleep(1);
          seenByOtherLoop = await ticketsSeen();
          await inTransaction(app, async ({ db }) => {
            order.push('other loop writes');
            seenByOtherTransaction = await ticketsSeen(db);
            await setSetting(db, 'other-loop', 'written');
          });
        })();
        await sleep(50);
        order.push('mail commits');
      },
    });

    const r = await ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw: buildMail({ from: 'ann@customer.example' }), receivedAt: app.now() });
    await otherLoop;

    expect(r).toMatchObject({ status: 'created', ticket: 1000 });
    expect(order).toEqual(['mail commits', 'other loop writes']);
    expect([seenByOtherLoop, seenByOtherTransaction]).toEqual([0, 1]);
    expect(await getSetting(app.db, 'other-loop')).toBe('written');
  });

  it('started together take turns: the second sees what the first committed', async () => {
    const app = currentApp();
    const increment = () =>
      inTransaction(app, async ({ db }) => {
        const n = Number((await getSetting(db, 'counter')) ?? 0);
        await sleep(20);
        await setSetting(db, 'counter', String(n + 1));
        return n;
      });

    expect(await Promise.all([increment(), increment()])).toEqual([0, 1]);
    expect(await getSetting(app.db, 'counter')).toBe('2');
  });

  it('are not interleaved by another transaction while one awaits a timer', async () => {
    const app = currentApp();
    const first = inTransaction(app, async ({ db }) => {
      await setSetting(db, 'owner', 'first');
      await sleep(50);
      return getSetting(db, 'owner');
    });
    const second = inTransaction(app, async ({ db }) => {
      const before = await getSetting(db, 'owner');
      await setSetting(db, 'owner', 'second');
      return before;
    });

    expect(await first).toBe('first');
    expect(await second).toBe('first');
    expect(await getSetting(app.db, 'owner')).toBe('second');
  });
});
