// When a ticket's follow-up is due: the configured days after it is resolved, for the configured
// ticket types (complaints by default). Reopened before it went out, nothing is planned until it is
// resolved again. A ticket gets one follow-up at most.
import type { App } from '../app.ts';
import { recordEvent } from '../store/events.ts';
import { updateTicket, type TicketRow } from '../store/tickets.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export const isDone = (ticket: TicketRow) => ticket.status === 'resolved' || ticket.status === 'closed';

/** The follow-up time the ticket should have now; null for none. */
function wantedFollowUp(app: App, ticket: TicketRow): Date | null {
  const { types, afterDays } = app.config.followUp;
  if (!isDone(ticket) || !types.includes(ticket.type)) return null;
  return new Date((ticket.resolvedAt ?? ticket.updatedAt).getTime() + afterDays * DAY_MS);
}

/** Brings the ticket's planned follow-up in step with its status; returns the ticket as stored. */
export async function planFollowUp(app: App, ticket: TicketRow, at: Date): Promise<TicketRow> {
  if (ticket.followUpSentAt) return ticket;
  const wanted = wantedFollowUp(app, ticket);
  if (wanted?.getTime() === ticket.followUpAt?.getTime()) return ticket;
  if (wanted) await recordEvent(app.db, ticket.id, 'follow-up-planned', { at: wanted.toISOString() }, at);
  else await recordEvent(app.db, ticket.id, 'follow-up-dropped', { planned: ticket.followUpAt!.toISOString(), status: ticket.status }, at);
  return updateTicket(app.db, ticket.id, { followUpAt: wanted });
}
