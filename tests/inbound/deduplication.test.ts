// Exactly once, and never a different mail lost: a duplicate is the same mail (same Message-ID and
// the same transport-independent content), whatever path it came by.
import { afterEach, describe, expect, it } from 'vitest';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { listEvents } from '../../src/store/events.ts';
import { findRawMail } from '../../src/store/pack-lookup.ts';
import { sha256 } from '../../src/store/pack-store.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { countOf } from '../helpers/db-rows.ts';
import { buildMail, type TestMail } from '../helpers/mail.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
afterEach(() => app?.close());

function ingestRaw(raw: Buffer) {
  return ingestRawMail(app, { source: 'test', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
}

function inboundCount(): Promise<number> {
  return countOf(app, "SELECT count(*) AS n FROM messages WHERE direction = 'in'");
}

/** The same mail as an MTA hands it over: its own trace headers (and mbox From_ line) on top. */
function delivered(mail: TestMail, trace: string[]): Buffer {
  return Buffer.concat([Buffer.from(trace.map((l) => `${l}\r\n`).join('')), buildMail(mail)]);
}

describe('duplicate detection', () => {
  it('keeps a different mail that reuses a stored Message-ID, with an event on its ticket', async () => {
    app = await testApp();
    const alice = await ingestRaw(buildMail({ from: 'Alice <alice@cust.example>', subject: 'Order 17', messageId: 'same@x', text: 'Where is my order?' }));
    const bob = await ingestRaw(buildMail({ from: 'Bob <bob@other.example>', subject: 'Refund', messageId: 'same@x', text: 'I want a refund.' }));
    expect(alice).toMatchObject({ status: 'created', ticket: 1000 });
    expect(bob).toMatchObject({ status: 'created', ticket: 1001 });
    expect(await inboundCount()).toBe(2);
    const bobTicket = (await findTicketByNumber(app.db, 1001))!;
    expect(await listEvents(app.db, bobTicket.id, 'message-id-reused')).toMatchObject([{ data: { messageId: 'same@x', firstSeenIn: 1000 } }]);
    // Bob's mail delivered again is still the same mail: a duplicate of his, not of Alice's.
    const again = await ingestRaw(delivered({ from: 'Bob <bob@other.example>', subject: 'Refund', messageId: 'same@x', text: 'I want a refund.' }, ['Received: from mx2 by mx3; Mon, 02 Nov 2026 09:05:00 +0000']));
    expect(again).toMatchObject({ status: 'duplicate', ticket: 1001 });
  });

  it('records a byte-identical redelivery as a duplicate naming the stored message', async () => {
    app = await testApp();
    const raw = buildMail({ from: 'ann@cust.example', messageId: 'once@c' });
    await ingestRaw(raw);
    const again = await ingestRaw(raw);
    expect(again).toMatchObject({ status: 'duplicate', ticket: 1000 });
    expect(again.reason).toMatch(/^same mail as message \d+ in #1000/);
    expect(await inboundCount()).toBe(1);
  });

  it('records the same mail through two delivery paths as a duplicate, and keeps the second copy findable', async () => {
    app = await testApp();
    const mail = { from: 'ann@cust.example', messageId: 'paths@c', text: 'Hello via two paths' };
    const first = delivered(mail, ['Delivered-To: support@example.com', 'Received: from mx1.example by mx.example; Mon, 02 Nov 2026 09:00:01 +0000']);
    const second = delivered(mail, ['X-Original-To: sales@example.com', 'Return-Path: <ann@cust.example>', 'Received: from mx2.example by mx.example; Mon, 02 Nov 2026 09:00:07 +0000']);
    expect(await ingestRaw(first)).toMatchObject({ status: 'created', ticket: 1000 });
    expect(await ingestRaw(second)).toMatchObject({ status: 'duplicate', ticket: 1000 });
    expect(await inboundCount()).toBe(1);
    const kept = await findRawMail(app.db, sha256(second));
    expect(kept && (await app.raw.get(kept)).equals(second)).toBe(true);
  });

  it('makes one ticket of a mail without Message-ID that the MTA delivers twice', async () => {
    app = await testApp();
    const mail = { from: 'carl@cust.example', messageId: null, text: 'No id in this one' };
    const attempt = (at: string) =>
      delivered(mail, [`From carl@cust.example ${at}`, `Envelope-to: support@example.com`, `Delivery-date: ${at}`, `Received: from mx by mx; ${at}`]);
    expect(await ingestRaw(attempt('Mon, 02 Nov 2026 09:00:00 +0000'))).toMatchObject({ status: 'created', ticket: 1000 });
    expect(await ingestRaw(attempt('Mon, 02 Nov 2026 09:30:00 +0000'))).toMatchObject({ status: 'duplicate', ticket: 1000 });
    expect(await countOf(app, 'SELECT count(*) AS n FROM tickets')).toBe(1);
  });

  it('does not take two different mails without Message-ID for one', async () => {
    app = await testApp();
    expect(await ingestRaw(buildMail({ from: 'carl@cust.example', messageId: null, text: 'First question' }))).toMatchObject({ status: 'created' });
    expect(await ingestRaw(buildMail({ from: 'carl@cust.example', messageId: null, text: 'Second question' }))).toMatchObject({ status: 'created' });
    expect(await inboundCount()).toBe(2);
  });
});
