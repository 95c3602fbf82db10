// The first human answer to the customer: the SLA clock (issue 5) stops its first-response target on
// tickets.firstResponseAt, so this is set exactly when an agent's reply is queued to the customer.
import type { App } from '../app.ts';
import { findTicketById, updateTicket } from '../store/tickets.ts';

export async function recordFirstResponse(app: App, ticketId: number, at: Date): Promise<void> {
  const ticket = await findTicketById(app.db, ticketId);
  if (ticket && !ticket.firstResponseAt) await updateTicket(app.db, ticketId, { firstResponseAt: at });
}
