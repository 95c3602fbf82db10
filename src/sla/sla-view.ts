// `postdesk sla`: open tickets by due time with the state of their earliest running target.
import type { App } from '../app.ts';
import { openTicketsByDue, type OpenTicketDue } from '../store/sla-clocks.ts';

export type SlaState = 'ok' | 'at risk' | 'breached' | 'paused';

export interface SlaListEntry {
  number: number;
  subject: string;
  status: string;
  priority: string;
  customer: string;
  target: string;
  state: SlaState;
  dueAt: string;
  /** Wall-clock time until due (negative when overdue); while paused, what was left at the pause. */
  timeLeftMs: number;
}

function stateOf(row: OpenTicketDue, now: number): SlaState {
  if (row.clock.pausedAt !== null) return 'paused';
  if (row.clock.dueAt <= now) return 'breached';
  return row.clock.warnAt <= now ? 'at risk' : 'ok';
}

export async function slaList(app: App): Promise<SlaListEntry[]> {
  const now = app.now().getTime();
  const seen = new Set<number>();
  const entries: SlaListEntry[] = [];
  // Rows come in list order, one per running clock: the first row of a ticket is its earliest target.
  for (const row of await openTicketsByDue(app.db)) {
    if (seen.has(row.ticketId)) continue;
    seen.add(row.ticketId);
    const clock = row.clock;
    entries.push({
      number: row.number,
      subject: row.subject,
      status: row.status,
      priority: row.priority,
      customer: row.customer,
      target: clock.target,
      state: stateOf(row, now),
      dueAt: new Date(clock.dueAt).toISOString(),
      timeLeftMs: clock.dueAt - (clock.pausedAt ?? now),
    });
  }
  return entries;
}

/** "2d 3h", "45m", "-1h 10m" */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  const parts = d ? [`${d}d`, `${h}h`] : h ? [`${h}h`, `${m}m`] : [`${m}m`];
  return sign + parts.join(' ');
}
