// The clock rules. A customer's mail starts the first-response clock (or, later, a next-response
// clock); only a human agent's reply to the customer stops it. `pending` pauses every running clock
// and the customer's reply resumes it with the business time that was left. Resolving stops all.
// A new priority (VIP, keyword, `#priority`) re-targets the running clocks to its policy.
import type { App } from '../app.ts';
import { findCustomerById } from '../store/customers.ts';
import { recordEvent } from '../store/events.ts';
import type { SlaTarget } from '../store/schema.ts';
import { hasClock, humanReplySince, insertClock, refreshTicketDue, runningClocks, updateClock, type SlaClockRow } from '../store/sla-clocks.ts';
import { updateTicket, type TicketRow } from '../store/tickets.ts';
import { isVip } from '../priority/vip.ts';
import type { BusinessCalendar } from './calendar.ts';
import { policyFor, type SlaPolicy } from './policy.ts';

export async function ticketPolicy(app: App, ticket: TicketRow): Promise<SlaPolicy> {
  const customer = await findCustomerById(app.db, ticket.customerId);
  return policyFor(app, {
    mailbox: app.mailboxes.find((m) => m.id === ticket.mailboxId)?.name ?? '',
    priority: ticket.priority,
    vip: customer ? isVip(app, customer) : false,
    type: ticket.type,
  });
}

/** A customer's mail on the ticket: bring the clocks in step, then start what should run and does not. */
export async function startClocksForCustomerMail(app: App, ticket: TicketRow, at: Date): Promise<void> {
  const policy = await ticketPolicy(app, ticket);
  const running = new Set((await clocksInStep(app, ticket, await runningClocks(app.db, ticket.id), policy, at)).map((c) => c.target));
  if (!running.has('first-response') && !running.has('next-response')) {
    // The first answer is owed once; after an answer every new customer mail waits for the next one.
    const answered = ticket.firstResponseAt !== null || (await hasClock(app.db, ticket.id, 'first-response'));
    await startClock(app, ticket.id, answered ? 'next-response' : 'first-response', at, policy);
  }
  if (!running.has('resolution')) await startClock(app, ticket.id, 'resolution', at, policy);
  await refreshTicketDue(app.db, ticket.id);
}

async function startClock(app: App, ticketId: number, target: SlaTarget, at: Date, policy: SlaPolicy): Promise<void> {
  const ms = policy.targets[target];
  if (ms === undefined) return;
  const { calendar } = policy;
  await insertClock(app.db, {
    ticketId,
    target,
    targetMs: ms,
    startedAt: at,
    warnAt: calendar.add(at, ms * app.config.sla.warningShare),
    dueAt: calendar.add(at, ms),
  });
}

/** Stops, pauses and resumes the ticket's running clocks to match its status and the replies it got. */
export async function syncClocks(app: App, ticket: TicketRow, at: Date): Promise<void> {
  const clocks = await runningClocks(app.db, ticket.id);
  if (!clocks.length) return;
  await clocksInStep(app, ticket, clocks, await ticketPolicy(app, ticket), at);
  await refreshTicketDue(app.db, ticket.id);
}

/** Stops, pauses, resumes and re-targets as syncClocks does, without the due time; returns the clocks still running. */
async function clocksInStep(app: App, ticket: TicketRow, clocks: SlaClockRow[], policy: SlaPolicy, at: Date): Promise<SlaClockRow[]> {
  if (!clocks.length) return [];
  const { calendar } = policy;
  const closed = ticket.status === 'resolved' || ticket.status === 'closed';
  const pending = ticket.status === 'pending';
  const running: SlaClockRow[] = [];
  for (const clock of clocks) {
    const stoppedAt = closed ? (ticket.resolvedAt ?? at) : await answeredAt(app, ticket, clock);
    if (stoppedAt) {
      await updateClock(app.db, clock.id, { stoppedAt, pausedAt: null });
      continue;
    }
    let change: Partial<SlaClockRow> = {};
    if (pending && !clock.pausedAt) change = { pausedAt: at };
    else if (!pending && clock.pausedAt) change = resumed(clock, clock.pausedAt, calendar, at);
    if (Object.keys(change).length) await updateClock(app.db, clock.id, change);
    await retarget(app, ticket, { ...clock, ...change }, policy, at);
    running.push(clock);
  }
  const paused = pending && !closed ? (ticket.slaPausedAt ?? at) : null;
  if ((paused?.getTime() ?? null) !== (ticket.slaPausedAt?.getTime() ?? null)) await updateTicket(app.db, ticket.id, { slaPausedAt: paused });
  return running;
}

/** When the target was met by an answer: the first human reply for the first response, any later one for the next. */
async function answeredAt(app: App, ticket: TicketRow, clock: SlaClockRow): Promise<Date | undefined> {
  if (clock.target === 'first-response') return ticket.firstResponseAt ?? undefined;
  if (clock.target === 'next-response') return humanReplySince(app.db, ticket.id, clock.startedAt);
  return undefined;
}

/**
 * Moves a running clock to the policy's current target: the business time from the start to the
 * due time is the target plus the time spent paused, and only the target part changes.
 */
async function retarget(app: App, ticket: TicketRow, clock: SlaClockRow, policy: SlaPolicy, at: Date): Promise<void> {
  const ms = policy.targets[clock.target];
  if (ms === undefined || ms === clock.targetMs) return;
  const { calendar } = policy;
  const paused = Math.max(0, calendar.between(clock.startedAt, clock.dueAt) - clock.targetMs);
  const change = {
    targetMs: ms,
    dueAt: calendar.add(clock.startedAt, ms + paused),
    warnAt: calendar.add(clock.startedAt, ms * app.config.sla.warningShare + paused),
  };
  await updateClock(app.db, clock.id, change);
  await recordEvent(app.db, ticket.id, 'sla-retargeted', { target: clock.target, priority: ticket.priority, from: clock.dueAt.toISOString(), to: change.dueAt.toISOString() }, at);
}

/** The business time that was left at the pause is left again from the resume. */
function resumed(clock: SlaClockRow, pausedAt: Date, calendar: BusinessCalendar, at: Date) {
  const shift = (t: Date) => (t > pausedAt ? calendar.add(at, calendar.between(pausedAt, t)) : t);
  return { pausedAt: null, dueAt: shift(clock.dueAt), warnAt: shift(clock.warnAt) };
}
