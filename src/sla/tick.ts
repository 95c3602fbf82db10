// One pass of the SLA loop: bring clocks in step with tickets changed outside the mail pipeline,
// then send each due warning and breach notice. A notice is claimed, recorded and queued in one
// transaction, so it goes out exactly once per clock even when the process restarts mid-tick.
import { inTransaction, type App } from '../app.ts';
import { queueTemplatedMail } from '../outbound/queue.ts';
import { recordEvent } from '../store/events.ts';
import { claimNotice, clocksDueForNotice, ticketsOutOfStep, type SlaClockRow } from '../store/sla-clocks.ts';
import { findTicketById, type TicketRow } from '../store/tickets.ts';
import { syncClocks } from './clock.ts';
import { localTime } from './local-time.ts';
import { breachRecipients, owners } from './recipients.ts';

export interface SlaNotice {
  ticketId: number;
  template: 'sla-warning' | 'sla-breach';
  to: string;
  data: { due: string; kind: string };
}

/** Queues one notice mail (given the transaction's App); the outbound outbox by default, a recorder in unit tests. */
export type Notify = (app: App, notice: SlaNotice) => unknown;

export interface TickResult {
  synced: number;
  warnings: number;
  breaches: number;
}

export async function runSlaTick(app: App, notify: Notify = queueTemplatedMail): Promise<TickResult> {
  const now = app.now();
  const outOfStep = await ticketsOutOfStep(app.db);
  for (const id of outOfStep) await inTransaction(app, async (app) => syncClocks(app, (await findTicketById(app.db, id))!, now));

  let warnings = 0;
  for (const clock of await clocksDueForNotice(app.db, 'warning', now)) {
    // A clock first seen past its due time gets only the breach notice, not a late warning too.
    const breachedAlready = clock.dueAt <= now;
    const sent = await inTransaction(app, async (app) => (await claimNotice(app.db, clock.id, 'warning', now)) && !breachedAlready && (await sendNotice(app, notify, clock, 'sla-warning', now)));
    if (sent) warnings++;
  }
  let breaches = 0;
  for (const clock of await clocksDueForNotice(app.db, 'breach', now)) {
    if (await inTransaction(app, async (app) => (await claimNotice(app.db, clock.id, 'breach', now)) && (await sendNotice(app, notify, clock, 'sla-breach', now)))) breaches++;
  }
  return { synced: outOfStep.length, warnings, breaches };
}

async function sendNotice(app: App, notify: Notify, clock: SlaClockRow, template: SlaNotice['template'], now: Date): Promise<boolean> {
  const ticket: TicketRow = (await findTicketById(app.db, clock.ticketId))!;
  const to = template === 'sla-warning' ? await owners(app, ticket) : await breachRecipients(app, ticket);
  const data = { due: localTime(app, clock.dueAt), kind: clock.target };
  for (const address of to) await notify(app, { ticketId: ticket.id, template, to: address, data });
  await recordEvent(app.db, ticket.id, template, { target: clock.target, dueAt: clock.dueAt.toISOString(), to }, now);
  return true;
}
