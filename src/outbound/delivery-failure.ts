// A mail to a customer that cannot be delivered (SMTP 5xx, retries exhausted, or a bounce coming
// back) goes on the ticket as a delivery-failure event, and the agents are told by mail.
import type { App } from '../app.ts';
import { recordEvent } from '../store/events.ts';
import { findTicketById } from '../store/tickets.ts';
import { queueTemplatedMail } from './queue.ts';
import { agentsToNotify } from './recipients.ts';

export interface DeliveryFailure {
  ticketId: number;
  recipient: string;
  /** The Message-ID of our mail that failed, when known. */
  messageId?: string;
  error: string;
  /** smtp (our sender was refused) or bounce (a report came back). */
  via: 'smtp' | 'bounce';
}

export async function reportDeliveryFailure(app: App, failure: DeliveryFailure, opts: { notifyAgents: boolean }): Promise<void> {
  const ticket = await findTicketById(app.db, failure.ticketId);
  if (!ticket) return;
  await recordEvent(app.db, ticket.id, 'delivery-failed', { ...failure }, app.now());
  // A failed mail to an agent is not reported by another mail to that agent: no loop.
  if (!opts.notifyAgents) return;
  for (const agent of await agentsToNotify(app, ticket)) {
    await queueTemplatedMail(app, {
      ticketId: ticket.id,
      template: 'delivery-failure',
      to: { address: agent.email, name: agent.name },
      data: { recipient: failure.recipient, error: failure.error },
    });
  }
}
