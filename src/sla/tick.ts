// One pass of the SLA loop: bring clocks in step with tickets changed outside the mail pipeline,
// then send each due warning and breach notice. A notice is claimed, recorded and queued in one
// transaction, so it goes out exactly once per clock even when the process restarts mid-tick.
import type { App } from '../app.ts';
import { queueTemplatedMail } from '../outbound/queue.ts';
import { inTransaction } from '../store/db.ts';
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

/** Queues one notice mail; the outbound outbox by default, a recorder in unit tests. */
export type Notify = (app: App, notice: SlaNotice) => unknown;

export interface TickResult {
  synced: number;
  warnings: number;
  breaches: number;
}

export function runSlaTick(app: App, notify: Notify = queueTemplatedMail): TickResult {
  const { db } = app;
  const now = app.now();
  const outOfStep = ticketsOutOfStep(db);
  for (const id of outOfStep) inTransaction(db, () => syncClocks(app, findTicketById(db, id)!, now));

  let warnings = 0;
  for (const clock of clocksDueForNotice(db, 'warning', now)) {
    // A clock first seen past its due time gets only the breach notice, not a late warning too.
    const breachedAlready = clock.dueAt <= now;
    const sent = inTransaction(db, () => claimNotice(db, clock.id, 'warning', now) && !breachedAlready && sendNotice(app, notify, clock, 'sla-warning', now));
    if (sent) warnings++;
  }
  let breaches = 0;
  for (const clock of clocksDueForNotice(db, 'breach', now)) {
    if (inTransaction(db, () => claimNotice(db, clock.id, 'breach', now) && sendNotice(app, notify, clock, 'sla-breach', now))) breaches++;
  }
  return { synced: outOfStep.length, warnings, breaches };
}

function sendNotice(app: App, notify: Notify, clock: SlaClockRow, template: SlaNotice['template'], now: Date): boolean {
  const ticket: TicketRow = findTicketById(app.db, clock.ticketId)!;
  const to = template === 'sla-warning' ? owners(app, ticket) : breachRecipients(app, ticket);
  const data = { due: localTime(app, clock.dueAt), kind: clock.target };
  for (const address of to) notify(app, { ticketId: ticket.id, template, to: address, data });
  recordEvent(app.db, ticket.id, template, { target: clock.target, dueAt: clock.dueAt.toISOString(), to }, now);
  return true;
}
