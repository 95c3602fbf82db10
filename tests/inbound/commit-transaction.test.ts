// One mail is one transaction: nothing of the mail stays when a commit filter fails, and nothing of
// another loop gets into it while a filter awaits. Every write runs in a transaction
// (src/store/transactions.ts), on both databases: app.db refuses writes and sees only what was
// committed. How SQLite's transactions take turns on its one writing connection: transaction-turns.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { commitFilters, ingestRawMail } from '../../src/inbound/pipeline.ts';
import type { Db } from '../../src/store/db.ts';
import { findQuarantine, rawOfQuarantined } from '../../src/store/quarantine.ts';
import { getSetting, setSetting } from '../../src/store/settings.ts';
import { countOf } from '../helpers/db-rows.ts';
import { buildMail } from '../helpers/mail.ts';
import { afterStoreMessage, appForEachTest } from './commit-probe.ts';

const currentApp = appForEachTest();

const MAIL_TABLES = ['customers', 'tickets', 'messages', 'attachments', 'ticket_events', 'sla_clocks', 'outbox'];

/** Rows per table as `db` sees them: app.db sees committed rows, a transaction's handle its own too. */
async function mailRows(db: Db = currentApp().db): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of MAIL_TABLES) rows[table] = await countOf({ db }, `SELECT count(*) AS n FROM ${table}`);
  return rows;
}
const NOTHING = Object.fromEntries(MAIL_TABLES.map((t) => [t, 0]));

function ingest(from: string, subject = 'Question') {
  const app = currentApp();
  return ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw: buildMail({ from, subject }), receivedAt: app.now() });
}

describe('commit transaction', () => {
  it.each([
    ['fails at once', async (): Promise<void> => {
      throw new Error('disk on fire');
    }],
    ['fails after awaiting a timer', async (): Promise<void> => {
      await sleep(20);
      throw new Error('disk on fire');
    }],
  ])('keeps nothing of the mail but its quarantined raw when a commit filter %s after others wrote', async (_how, fail) => {
    const app = currentApp();
    let seenInside: Record<string, number> | undefined;
    afterStoreMessage(async (ctx) => {
      seenInside = await mailRows(ctx.app.db);
      await fail();
    });
    const raw = buildMail({ from: 'ann@customer.example', subject: 'Half-written?' });

    const r = await ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });

    // The filters before the probe had written the mail's rows; none of them stays.
    expect(seenInside).toMatchObject({ customers: 1, tickets: 1, messages: 1 });
    expect(r).toMatchObject({ status: 'quarantined', ticket: null, reason: 'probe failed: disk on fire' });
    expect(await mailRows()).toEqual(NOTHING);
    expect(await app.raw.get(rawOfQuarantined((await findQuarantine(app.db, r.quarantineId!))!))).toEqual(raw);
  });

  it('lets no other loop into the transaction while a commit filter awaits a timer', async () => {
    const app = currentApp();
    let seenByOtherLoop: Record<string, number> | undefined;
    let seenByOtherTransaction: Record<string, number> | undefined;
    let otherLoop: Promise<void> | undefined;
    afterStoreMessage(async () => {
      // Another loop (the sender, the SLA tick) gets turns meanwhile: it reads, and writes in a transaction.
      otherLoop = (async () => {
        await sleep(1);
        seenByOtherLoop = await mailRows();
        await inTransaction(app, async ({ db }) => {
          seenByOtherTransaction = await mailRows(db);
          await setSetting(db, 'other-loop', 'written');
        });
      })();
      await sleep(50);
      throw new Error('disk on fire');
    });

    const r = await ingest('ann@customer.example');
    await otherLoop;

    // Had the other loop's write gone into the mail's transaction, the mail's failure would have taken it.
    expect(r).toMatchObject({ status: 'quarantined', reason: 'probe failed: disk on fire' });
    expect(await getSetting(app.db, 'other-loop')).toBe('written');
    expect(seenByOtherLoop).toEqual(NOTHING);
    expect(seenByOtherTransaction).toEqual(NOTHING);
    expect(await mailRows()).toEqual(NOTHING);
  });

  it('commits the next mail normally after a failed one', async () => {
    afterStoreMessage(async () => {
      await sleep(1);
      throw new Error('disk on fire');
    });
    const failed = await ingest('ann@customer.example');
    commitFilters.splice(commitFilters.findIndex((f) => f.name === 'probe'), 1);

    const next = await ingest('bob@customer.example');

    expect(failed.status).toBe('quarantined');
    expect(next).toMatchObject({ status: 'created', ticket: expect.any(Number) });
    expect(await mailRows()).toMatchObject({ customers: 1, tickets: 1 });
  });
});

describe('transactions', () => {
  it('are the only way to write: app.db refuses, a transaction keeps what it wrote', async () => {
    const app = currentApp();
    // SQLite's reading connection is query_only; PostgreSQL's connections outside a transaction are
    // read-only (drizzle wraps its error in "Failed query: …", with it as the cause).
    const refused = await setSetting(app.db, 'key', 'outside').then(() => undefined, (err: Error) => err);
    expect(String(refused?.cause ?? refused)).toMatch(/attempt to write a readonly database|read-only transaction/);
    expect(await getSetting(app.db, 'key')).toBeUndefined();

    await inTransaction(app, ({ db }) => setSetting(db, 'key', 'inside'));
    expect(await getSetting(app.db, 'key')).toBe('inside');
  });

  it('keep none of the writes of one that throws', async () => {
    const app = currentApp();
    const failed = inTransaction(app, async ({ db }) => {
      await setSetting(db, 'key', 'half');
      expect(await getSetting(db, 'key')).toBe('half');
      throw new Error('disk on fire');
    });
    await expect(failed).rejects.toThrow('disk on fire');
    expect(await getSetting(app.db, 'key')).toBeUndefined();
  });

  it('are seen by app.db and by later transactions only once committed', async () => {
    const app = currentApp();
    let seenOutside: string | undefined = 'not read';
    const first = inTransaction(app, async ({ db }) => {
      await setSetting(db, 'owner', 'first');
      seenOutside = await getSetting(app.db, 'owner');
      await sleep(20);
      return getSetting(db, 'owner');
    });

    expect(await first).toBe('first');
    expect(seenOutside).toBeUndefined();
    expect(await getSetting(app.db, 'owner')).toBe('first');
    expect(await inTransaction(app, ({ db }) => getSetting(db, 'owner'))).toBe('first');
  });

  it('joined from inside a transaction run as part of it', async () => {
    const app = currentApp();
    const seen = await inTransaction(app, async (outer) => {
      await setSetting(outer.db, 'key', 'outer');
      return inTransaction(outer, async ({ db }) => {
        expect(db).toBe(outer.db);
        return getSetting(db, 'key');
      });
    });
    expect(seen).toBe('outer');
  });
});
