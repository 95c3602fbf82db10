// The read model of a ticket as commands show it (tickets show --json, customers show).
import type { App } from '../app.ts';
import { findAgentById } from '../store/agents.ts';
import { findCustomerById } from '../store/customers.ts';
import { listAttachments, listMessages } from '../store/messages.ts';
import { findTicketById, linkedTicketNumbers, type TicketRow } from '../store/tickets.ts';

export async function ticketSummary(app: App, t: TicketRow) {
  const customer = await findCustomerById(app.db, t.customerId);
  const assignee = t.assigneeId ? await findAgentById(app.db, t.assigneeId) : undefined;
  return {
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    type: t.type,
    customer: { email: customer?.email ?? '', name: customer?.name ?? '' },
    assignee: assignee ? { email: assignee.email, name: assignee.name } : null,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    dueAt: t.dueAt?.toISOString() ?? null,
    /** The customer's stage when the ticket opened. */
    customerStage: t.customerStage,
    /** How it was resolved (agent, self-served) and, when self-served, with which FAQ entry. */
    resolution: t.resolution,
    selfServedFaq: t.selfServedFaq,
    /** The number of the ticket this one points at (see inbound/filters/thread.ts), not its row id. */
    linkedTicket: t.linkedTicketId === null ? null : ((await findTicketById(app.db, t.linkedTicketId))?.number ?? null),
  };
}

export async function ticketDetail(app: App, t: TicketRow) {
  const messages = await listMessages(app.db, t.id);
  const attachments = await listAttachments(app.db, messages.map((m) => m.id));
  return {
    ...(await ticketSummary(app, t)),
    /** The numbers of the tickets that point at this one. */
    linkedFrom: await linkedTicketNumbers(app.db, t.id),
    /** The customer's satisfaction rating (1–5, the last one given), null when not rated. */
    rating: t.rating === null ? null : { score: t.rating, comment: t.ratingComment, ratedAt: t.ratedAt?.toISOString() ?? null },
    messages: messages.map((m) => ({
      direction: m.direction,
      kind: m.kind,
      from: m.fromAddress,
      fromName: m.fromName,
      to: m.to.map((a) => a.address),
      cc: m.cc.map((a) => a.address),
      subject: m.subject,
      messageId: m.messageId,
      date: (m.date ?? m.receivedAt).toISOString(),
      classification: m.classification,
      /** The sha256 of the mail as it arrived (`postdesk raw <sha256>`); null for mail we sent. */
      raw: m.rawSha256,
      text: m.visibleText || m.text,
      attachments: attachments
        .filter((a) => a.messageId === m.id)
        .map((a) => ({ filename: a.filename, originalFilename: a.originalFilename, size: a.size, contentType: a.contentType, sha256: a.sha256 })),
    })),
  };
}
