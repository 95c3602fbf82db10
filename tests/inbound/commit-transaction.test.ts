// One mail is one transaction: nothing of another loop gets into it, and nothing of the mail stays
// when a commit filter fails, whether it throws or returns a promise (which SQLite refuses).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitFilters, ingestRawMail } from '../../src/inbound/pipeline.ts';
import type { CommitFilter } from '../../src/inbound/context.ts';
import { storeMessage } from '../../src/inbound/filters/store-message.ts';
import { findQuarantine, rawOfQuarantined } from '../../src/store/quarantine.ts';
import { getSetting, setSetting } from '../../src/store/settings.ts';
import { buildMail } from '../helpers/mail.ts';
import { testApp } from '../helpers/test-app.ts';

let app: ReturnType<typeof testApp>;
beforeEach(() => {
  app = testApp();
});
afterEach(() => {
  const at = commitFilters.findIndex((f) => f.name === 'probe');
  if (at >= 0) commitFilters.splice(at, 1);
  app.close();
});

/** Runs `probe` right after store-message, when the mail's ticket and message rows are written but not committed. */
function afterStoreMessage(run: CommitFilter['run']): void {
  commitFilters.splice(commitFilters.indexOf(storeMessage) + 1, 0, { name: 'probe', run });
}

const MAIL_TABLES = ['customers', 'tickets', 'messages', 'attachments', 'ticket_events', 'sla_clocks', 'outbox'];

function mailRows(): Record<string, number> {
  return Object.fromEntries(MAIL_TABLES.map((t) => [t, (app.db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
}
const NOTHING = Object.fromEntries(MAIL_TABLES.map((t) => [t, 0]));

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('commit transaction', () => {
  it('lets no other loop into the transaction while a commit filter yields', async () => {
    let seenByOtherLoop: Record<string, number> | undefined;
    afterStoreMessage(() => {
      // Another loop (the sender, the SLA tick) gets the next turn: it reads and writes on the same connection.
      setImmediate(() => {
        seenByOtherLoop = mailRows();
        setSetting(app.db, 'other-loop', 'written');
      });
      return nextTurn();
    });

    const r = await ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw: buildMail({ from: 'ann@customer.example' }), receivedAt: app.now() });
    await nextTurn();

    expect(r).toMatchObject({ status: 'quarantined', reason: expect.stringMatching(/^probe failed: returned a promise inside a SQLite transaction/) });
    expect(seenByOtherLoop).toEqual(NOTHING);
    expect(getSetting(app.db, 'other-loop')).toBe('written');
    expect(mailRows()).toEqual(NOTHING);
    expect(app.db.$client.inTransaction).toBe(false);
  });

  it.each([
    ['throws', (): void => {
      throw new Error('disk on fire');
    }],
    ['rejects after a yield', async (): Promise<void> => {
      await nextTurn();
      throw new Error('disk on fire');
    }],
  ])('keeps nothing of the mail but its quarantined raw when a commit filter %s', async (_how, run) => {
    afterStoreMessage(run);
    const raw = buildMail({ from: 'ann@customer.example', subject: 'Half-written?' });

    const r = await ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
    await nextTurn();
    await nextTurn();

    expect(r).toMatchObject({ status: 'quarantined', ticket: null, reason: expect.stringMatching(/^probe failed: /) });
    expect(mailRows()).toEqual(NOTHING);
    expect(app.raw.read(rawOfQuarantined(findQuarantine(app.db, r.quarantineId!)!))).toEqual(raw);
  });

  it('commits the next mail normally after a refused one', async () => {
    afterStoreMessage(() => nextTurn());
    const refused = await ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw: buildMail({ from: 'ann@customer.example' }), receivedAt: app.now() });
    commitFilters.splice(commitFilters.findIndex((f) => f.name === 'probe'), 1);

    const next = await ingestRawMail(app, { source: 'unit', mailbox: app.mailboxes[0], raw: buildMail({ from: 'bob@customer.example' }), receivedAt: app.now() });

    expect(refused.status).toBe('quarantined');
    expect(next).toMatchObject({ status: 'created', ticket: expect.any(Number) });
    expect(mailRows()).toMatchObject({ customers: 1, tickets: 1 });
  });
});
