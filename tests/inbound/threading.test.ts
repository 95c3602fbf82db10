import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, type App } from '../../src/app.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { listEvents } from '../../src/store/events.ts';
import { listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber, updateTicket } from '../../src/store/tickets.ts';
import { countOf } from '../helpers/db-rows.ts';
import { buildMail, type TestMail } from '../helpers/mail.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

const DAY = 24 * 60 * 60 * 1000;
let app: TestApp;

function ingest(mail: TestMail, target: App = app, mailbox = target.mailboxes[0]) {
  return ingestRawMail(target, { source: 'test', mailbox, raw: buildMail(mail), receivedAt: target.now() });
}

/** The customer's mails in a ticket (acknowledgements and other outbound mail are not counted). */
async function inbound(number: number) {
  return (await listMessages(app.db, (await ticket(number)).id)).filter((m) => m.direction === 'in');
}

async function ticket(number: number) {
  return (await findTicketByNumber(app.db, number))!;
}

async function update(number: number, changes: Parameters<typeof updateTicket>[2]) {
  const { id } = await ticket(number);
  await inTransaction(app, ({ db }) => updateTicket(db, id, changes));
}

afterEach(() => app?.close());

describe('threading', () => {
  it('numbers tickets sequentially from the configured start, with the tag in the subject', async () => {
    app = await testApp({ tickets: { startNumber: 1042 } });
    expect(await ingest({ from: 'a@customer.example', subject: 'First' })).toMatchObject({ status: 'created', ticket: 1042 });
    expect(await ingest({ from: 'b@customer.example', subject: 'Second' })).toMatchObject({ status: 'created', ticket: 1043 });
  });

  it('follows up by References only, any order, even when the subject changed', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', subject: 'Printer broken', messageId: 'm1@c' });
    await ingest({ from: 'ann@customer.example', subject: 'Re: Printer broken', messageId: 'm2@c', references: ['m1@c'] });
    const r = await ingest({ from: 'ann@customer.example', subject: 'totally new words', messageId: 'm3@c', references: ['unknown@x', 'm2@c', 'm1@c'] });
    expect(r).toMatchObject({ status: 'appended', ticket: 1000 });
    expect(await inbound(1000)).toHaveLength(3);
  });

  it('follows up by In-Reply-To only', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', messageId: 'first@c' });
    expect(await ingest({ from: 'ann@customer.example', subject: 'Other', inReplyTo: 'first@c' })).toMatchObject({ status: 'appended', ticket: 1000 });
  });

  it('follows up by subject tag from the same sender', async () => {
    app = await testApp();
    await ingest({ from: 'Ann <ann@customer.example>', subject: 'Invoice' });
    expect(await ingest({ from: 'ANN@customer.example', subject: 'Re: [#1000] Invoice' })).toMatchObject({ status: 'appended', ticket: 1000 });
  });

  it('honours a configured subject tag format', async () => {
    app = await testApp({ tickets: { subjectTag: '[Ticket {number}]' } });
    await ingest({ from: 'ann@customer.example', subject: 'Invoice' });
    expect(await ingest({ from: 'ann@customer.example', subject: 'Re: [Ticket 1000] x' })).toMatchObject({ status: 'appended' });
    expect(await ingest({ from: 'ann@customer.example', subject: 'Re: [#1000] x' })).toMatchObject({ status: 'created' });
  });

  it('accepts a subject tag from someone who was in Cc of the ticket', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', cc: 'boss@customer.example', subject: 'Invoice' });
    expect(await ingest({ from: 'boss@customer.example', subject: 'Re: [#1000] Invoice' })).toMatchObject({ status: 'appended', ticket: 1000 });
  });

  it('opens a new linked ticket when a stranger uses a subject tag', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', subject: 'My account' });
    const r = await ingest({ from: 'mallory@evil.example', subject: 'Re: [#1000] My account' });
    expect(r).toMatchObject({ status: 'created', ticket: 1001 });
    expect(await inbound(1000)).toHaveLength(1);
    expect((await ticket(1001)).linkedTicketId).toBe((await ticket(1000)).id);
    const linked = await listEvents(app.db, (await ticket(1000)).id, 'linked');
    expect(linked[0].data).toMatchObject({ ticket: 1001 });
  });

  it('opens a new linked ticket when a stranger replies by In-Reply-To, and never reopens the ticket', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', messageId: 'ann-1@c', subject: 'My account' });
    await update(1000, { status: 'resolved', resolvedAt: app.now() });
    const r = await ingest({ from: 'mallory@evil.example', inReplyTo: 'ann-1@c', subject: 'Re: My account' });
    expect(r).toMatchObject({ status: 'created', ticket: 1001 });
    expect((await ticket(1000)).status).toBe('resolved');
    expect(await inbound(1000)).toHaveLength(1);
    expect((await ticket(1001)).linkedTicketId).toBe((await ticket(1000)).id);
    expect((await listEvents(app.db, (await ticket(1000)).id, 'linked'))[0].data).toMatchObject({ ticket: 1001, reason: 'not-a-participant', matchedBy: 'references', from: 'mallory@evil.example' });
  });

  it('lets in by the chain everyone the ticket was addressed to (To and Cc), not the sender of a robot mail filed there', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', to: 'support@example.com, boss@customer.example', cc: 'it@customer.example', messageId: 't1@c' });
    expect(await ingest({ from: 'boss@customer.example', inReplyTo: 't1@c' })).toMatchObject({ status: 'appended', ticket: 1000 });
    expect(await ingest({ from: 'IT@customer.example', references: ['t1@c'] })).toMatchObject({ status: 'appended', ticket: 1000 });
    // An out-of-office of someone outside the ticket is no way in for its address.
    expect(await ingest({ from: 'robot@elsewhere.example', inReplyTo: 't1@c', headers: { 'Auto-Submitted': 'auto-replied' } })).toMatchObject({ status: 'created', ticket: 1001 });
    expect(await ingest({ from: 'robot@elsewhere.example', subject: 'Re: [#1000] Question' })).toMatchObject({ status: 'created', ticket: 1002 });
  });

  it("files a stranger's mail under her own ticket's tag even when its chain names another ticket", async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', messageId: 'a1@c' });
    await ingest({ from: 'mallory@evil.example', subject: 'Mine' });
    expect(await ingest({ from: 'mallory@evil.example', inReplyTo: 'a1@c', subject: 'Re: [#1001] Mine' })).toMatchObject({ status: 'appended', ticket: 1001 });
    expect(await inbound(1000)).toHaveLength(1);
  });

  it('reopens a resolved ticket on a reply inside the window, opens a linked one after it', async () => {
    app = await testApp({ tickets: { reopenWindowDays: 30 } });
    await ingest({ from: 'ann@customer.example', messageId: 'q1@c' });
    await update(1000, { status: 'resolved', resolvedAt: app.now() });
    app.clock.advance(10 * DAY);
    expect(await ingest({ from: 'ann@customer.example', references: ['q1@c'], messageId: 'q2@c' })).toMatchObject({ status: 'appended', ticket: 1000 });
    expect((await ticket(1000)).status).toBe('open');
    expect((await listEvents(app.db, (await ticket(1000)).id, 'status-changed'))[0].data).toMatchObject({ from: 'resolved', to: 'open' });

    await update(1000, { status: 'closed', resolvedAt: app.now() });
    app.clock.advance(31 * DAY);
    const late = await ingest({ from: 'ann@customer.example', references: ['q2@c'], subject: 'Re: [#1000] again' });
    expect(late).toMatchObject({ status: 'created', ticket: 1001 });
    expect((await ticket(1000)).status).toBe('closed');
    expect((await ticket(1001)).linkedTicketId).toBe((await ticket(1000)).id);
  });

  it('files a reply in the ticket of the latest mail it answers, when its chain runs through an older linked ticket', async () => {
    app = await testApp({ tickets: { reopenWindowDays: 30 } });
    await ingest({ from: 'ann@customer.example', messageId: 'old-1@c' });
    await update(1000, { status: 'closed', resolvedAt: app.now() });
    app.clock.advance(31 * DAY);
    expect(await ingest({ from: 'ann@customer.example', messageId: 'late-1@c', references: ['old-1@c'] })).toMatchObject({ status: 'created', ticket: 1001 });
    expect(await ingest({ from: 'ann@customer.example', inReplyTo: 'late-1@c', references: ['old-1@c', 'late-1@c'] })).toMatchObject({ status: 'appended', ticket: 1001 });
  });

  it('keeps an out-of-office reply on a resolved ticket without reopening it', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', messageId: 'r1@c' });
    await update(1000, { status: 'resolved', resolvedAt: app.now() });
    const r = await ingest({ from: 'ann@customer.example', inReplyTo: 'r1@c', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(r).toMatchObject({ status: 'appended', ticket: 1000 });
    expect((await ticket(1000)).status).toBe('resolved');
  });

  it('stores a mail that reached two mailboxes once, in one ticket', async () => {
    app = await testApp({
      mailboxes: [
        { name: 'support', address: 'support@example.com' },
        { name: 'sales', address: 'sales@example.com' },
      ],
    });
    const mail = { from: 'ann@customer.example', to: 'support@example.com, sales@example.com', messageId: 'both@c' };
    expect(await ingest(mail, app, app.mailboxes[0])).toMatchObject({ status: 'created', ticket: 1000 });
    expect(await ingest(mail, app, app.mailboxes[1])).toMatchObject({ status: 'duplicate', ticket: 1000 });
    expect(await countOf(app, 'SELECT count(*) AS n FROM tickets')).toBe(1);
  });

  it('moves a pending ticket back to open when the customer answers', async () => {
    app = await testApp();
    await ingest({ from: 'ann@customer.example', messageId: 'p1@c' });
    await update(1000, { status: 'pending' });
    await ingest({ from: 'ann@customer.example', inReplyTo: 'p1@c' });
    expect((await ticket(1000)).status).toBe('open');
  });
});
