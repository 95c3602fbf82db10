// Clock rules through the real pipeline and store: start on the customer's mail, stop only on a
// human agent's reply, pause while pending, resume on the customer's reply.
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { findAgentByEmail } from '../../src/store/agents.ts';
import { insertMessage } from '../../src/store/messages.ts';
import { updateTicket } from '../../src/store/tickets.ts';
import { queueAgentReply, queueTemplatedMail } from '../../src/outbound/queue.ts';
import { slaList } from '../../src/sla/sla-view.ts';
import { runSlaTick } from '../../src/sla/tick.ts';
import { testApp } from '../helpers/test-app.ts';
import { HOUR, receive, running, ticket } from './sla-helpers.ts';

const agents = [{ name: 'Ann Agent', email: 'ann@desk.example' }];
const noMail = () => undefined;

describe('SLA clock rules', () => {
  it('sets the first-response due time from the receipt, counted on the policy calendar', async () => {
    const app = await testApp({
      agents,
      sla: {
        calendars: { office: { timeZone: 'Europe/Berlin', hours: { mon: ['09:00-17:00'], fri: ['09:00-17:00'] } } },
        policies: [{ firstResponseHours: 4, nextResponseHours: 8, resolutionHours: 16, calendar: 'office' }],
      },
    });
    app.clock.set('2026-11-06T16:00:00+01:00'); // Friday, one office hour left
    const t = await receive(app);
    // The office opens Mondays and Fridays only. First response: 1 h on Friday + 3 h on Monday.
    // Resolution: 1 h on Friday + 8 h on Monday + 7 h on the next Friday.
    expect(await running(app, t)).toEqual([
      { target: 'first-response', dueAt: new Date('2026-11-09T12:00:00+01:00').toISOString(), paused: false },
      { target: 'resolution', dueAt: new Date('2026-11-13T16:00:00+01:00').toISOString(), paused: false },
    ]);
    expect((await ticket(app, t.number)).dueAt).toEqual(new Date('2026-11-09T12:00:00+01:00'));
    await app.close();
  });

  it('is not stopped by the acknowledgement, an internal note or a command-only mail; a human reply stops it', async () => {
    const app = await testApp({ agents });
    const t = await receive(app);
    const ann = (await findAgentByEmail(app.db, 'ann@desk.example'))!;
    app.clock.advance(HOUR);
    await inTransaction(app, async (app) => {
      await queueTemplatedMail(app, { ticketId: t.id, template: 'acknowledgement', to: 'carol@customer.example', data: { due: 'soon' } });
      const agentMail = { ticketId: t.id, direction: 'in' as const, fromAddress: ann.email, receivedAt: app.now() };
      await insertMessage(app.db, { ...agentMail, kind: 'note', messageId: 'note-1@desk.example', text: 'customer seems upset' });
      await insertMessage(app.db, { ...agentMail, kind: 'agent', messageId: 'cmd-1@desk.example', text: '#assign ann' });
    });
    await runSlaTick(app, noMail);
    expect((await running(app, t)).map((c) => c.target)).toEqual(['first-response']);
    expect((await slaList(app)).map((e) => [e.number, e.state])).toEqual([[t.number, 'ok']]);

    // What the outbound relay does for a human reply: the reply to the customer, and firstResponseAt.
    app.clock.advance(HOUR);
    await inTransaction(app, async (app) => {
      await queueAgentReply(app, { ticketId: t.id, fromAgent: ann, data: { body: 'Here is the answer.', signature: '', faqLinks: [] } });
      await updateTicket(app.db, t.id, { firstResponseAt: app.now(), status: 'open' });
    });
    expect((await runSlaTick(app, noMail)).synced).toBe(1);
    expect(await running(app, t)).toEqual([]);
    expect((await ticket(app, t.number)).dueAt).toBeNull();
    expect(await slaList(app)).toEqual([]);

    // The customer writes again: now a next-response target runs, answered by the next human reply.
    app.clock.advance(HOUR);
    await receive(app, { subject: `Re: [#${t.number}] Question`, text: 'One more thing.' });
    expect(await running(app, t)).toEqual([{ target: 'next-response', dueAt: new Date(app.now().getTime() + 24 * HOUR).toISOString(), paused: false }]);
    app.clock.advance(HOUR);
    await inTransaction(app, (app) => queueAgentReply(app, { ticketId: t.id, fromAgent: ann, data: { body: 'Done.', signature: '', faqLinks: [] } }));
    await runSlaTick(app, noMail);
    expect(await running(app, t)).toEqual([]);
    await app.close();
  });

  it('pauses while pending and resumes with the time that was left on the customer reply', async () => {
    const app = await testApp({ agents });
    const start = app.now().getTime();
    const t = await receive(app);
    expect((await ticket(app, t.number)).dueAt?.getTime()).toBe(start + 24 * HOUR);

    app.clock.advance(2 * HOUR); // an agent sets the ticket pending (waiting for the customer)
    await inTransaction(app, (app) => updateTicket(app.db, t.id, { status: 'pending', updatedAt: app.now() }));
    await runSlaTick(app, noMail);
    expect((await ticket(app, t.number)).slaPausedAt?.getTime()).toBe(start + 2 * HOUR);
    expect(await slaList(app)).toMatchObject([{ number: t.number, state: 'paused', timeLeftMs: 22 * HOUR }]);

    // Long past the original due time: a paused clock is neither warned about nor breached.
    app.clock.advance(28 * HOUR);
    const notices: string[] = [];
    await runSlaTick(app, (_a, n) => void notices.push(n.template));
    expect(notices).toEqual([]);

    await receive(app, { subject: `Re: [#${t.number}] Question`, text: 'Here is the information.' });
    const resumed = await ticket(app, t.number);
    expect(resumed.status).toBe('open');
    expect(resumed.slaPausedAt).toBeNull();
    // Resumed at +30 h with 22 h left: due at +52 h, still the one first-response target.
    expect(await running(app, t)).toEqual([{ target: 'first-response', dueAt: new Date(start + 52 * HOUR).toISOString(), paused: false }]);
    expect(resumed.dueAt?.getTime()).toBe(start + 52 * HOUR);
    await app.close();
  });

  it('stops every clock when the ticket is resolved', async () => {
    const app = await testApp({ agents, sla: { policies: [{ firstResponseHours: 4, resolutionHours: 48 }] } });
    const t = await receive(app);
    expect((await running(app, t)).map((c) => c.target)).toEqual(['first-response', 'resolution']);
    app.clock.advance(HOUR);
    await inTransaction(app, (app) => updateTicket(app.db, t.id, { status: 'resolved', resolvedAt: app.now() }));
    await runSlaTick(app, noMail);
    expect(await running(app, t)).toEqual([]);
    await app.close();
  });
});
