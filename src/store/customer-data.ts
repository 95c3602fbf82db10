// Everything the database holds about one customer (for `customers export` and `customers forget`),
// and its erasure. A customer's data: their row; their tickets with all of their messages (agent
// replies quote them), events and attachments; their own mails on other tickets; the mails queued
// to them or about their tickets. Tickets stay, without content, so that reports still count them.
import { eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { CustomerRow } from './customers.ts';
import type { AttachmentRow, MessageRow } from './messages.ts';
import type { OutboxRow } from './outbox.ts';
import type { QuarantineRow } from './quarantine.ts';
import type { TicketEventRow } from './events.ts';
import type { TicketRow } from './tickets.ts';
import type { FaqFeedbackRow } from './faq-feedback.ts';
import type { duplicateDeliveries } from './schema.ts';
import { execute, all, isPostgres, jsonText, tablesOf } from './dialect.ts';

export type DuplicateDeliveryRow = typeof duplicateDeliveries.$inferSelect;

export interface CustomerData {
  customer: CustomerRow;
  tickets: TicketRow[];
  messages: MessageRow[];
  attachments: AttachmentRow[];
  duplicates: DuplicateDeliveryRow[];
  events: TicketEventRow[];
  outbox: OutboxRow[];
  feedback: FaqFeedbackRow[];
}

export async function findCustomerData(db: Db, customer: CustomerRow): Promise<CustomerData> {
  const { attachments, duplicateDeliveries, faqFeedback, messages, outbox, ticketEvents, tickets } = tablesOf(db);
  const ticketRows = (await all(db.select().from(tickets).where(eq(tickets.customerId, customer.id)).orderBy(tickets.number)));
  const ticketIds = ticketRows.map((t) => t.id);
  const messageRows = (await all(db
    .select()
    .from(messages)
    .where(or(inArray(messages.ticketId, ticketIds), eq(sql`lower(${messages.fromAddress})`, customer.email)))
    .orderBy(messages.id)));
  const messageIds = messageRows.map((m) => m.id);
  return {
    customer,
    tickets: ticketRows,
    messages: messageRows,
    attachments: (await all(db.select().from(attachments).where(inArray(attachments.messageId, messageIds)).orderBy(attachments.id))),
    duplicates: (await all(db.select().from(duplicateDeliveries).where(inArray(duplicateDeliveries.messageId, messageIds)))),
    events: (await all(db.select().from(ticketEvents).where(inArray(ticketEvents.ticketId, ticketIds)).orderBy(ticketEvents.id))),
    outbox: (await all(db
      .select()
      .from(outbox)
      .where(or(inArray(outbox.ticketId, ticketIds), eq(outbox.recipient, customer.email)))
      .orderBy(outbox.id))),
    feedback: (await all(db.select().from(faqFeedback).where(eq(faqFeedback.sender, customer.email)).orderBy(faqFeedback.id))),
  };
}

/** The address a forgotten customer's row keeps: unique, and no one's. */
export function forgottenAddress(customerId: number): string {
  return `forgotten-${customerId}@forgotten.invalid`;
}

/**
 * Erases the customer's personal data from the database (call inside a transaction). What stays:
 * ids, ticket numbers, statuses, priorities, ratings (not their comments), times, SLA clocks, message
 * kinds and directions, agents' and mailboxes' addresses (also the agent who resolved a ticket), and
 * each event's type and time.
 */
export async function eraseCustomerRows(db: Db, data: CustomerData, heldMails: QuarantineRow[]): Promise<void> {
  const { attachments, customers, duplicateDeliveries, faqFeedback, messages, outbox, quarantine, ticketEvents, tickets } = tablesOf(db);
  const { customer } = data;
  const anonymous = forgottenAddress(customer.id);
  const messageIds = data.messages.map((m) => m.id);
  const ticketIds = data.tickets.map((t) => t.id);
  await execute(db.delete(attachments).where(inArray(attachments.messageId, messageIds)));
  await execute(db.delete(duplicateDeliveries).where(inArray(duplicateDeliveries.messageId, messageIds)));
  await execute(db.delete(quarantine).where(inArray(quarantine.id, heldMails.map((q) => q.id))));
  await execute(db.update(messages)
    .set({
      // Their own Message-IDs may name them (a company domain); ours are kept for bounce matching.
      messageId: sql`CASE WHEN ${messages.direction} = 'in' THEN 'forgotten-' || ${messages.id} || '@forgotten.invalid' ELSE ${messages.messageId} END`,
      fromAddress: sql`CASE WHEN lower(${messages.fromAddress}) = ${customer.email} THEN ${anonymous} ELSE ${messages.fromAddress} END`,
      fromName: '',
      inReplyTo: null,
      references: [],
      to: [],
      cc: [],
      subject: '',
      html: null,
      text: '',
      visibleText: '',
      rawSha256: null,
      contentHash: null,
      rawSize: null,
      rawPack: null,
      rawOffset: null,
    })
    .where(inArray(messages.id, messageIds)));
  // Who resolved a ticket stays when it was an agent: the report counts satisfaction per agent.
  const resolvedBy = jsonText(db, ticketEvents.data, 'by');
  const resolvedByAgent = sql`${ticketEvents.type} = 'status-changed' AND ${jsonText(db, ticketEvents.data, 'to')} = 'resolved' AND ${resolvedBy} IN (SELECT email FROM agents)`;
  const jsonObject = isPostgres(db) ? sql`jsonb_build_object` : sql`json_object`;
  await execute(db.update(ticketEvents)
    .set({ data: sql`CASE WHEN ${resolvedByAgent} THEN ${jsonObject}('to', 'resolved', 'by', ${resolvedBy}) ELSE '{}' END` })
    .where(inArray(ticketEvents.ticketId, ticketIds)));
  // Her rating stays for the report; her words go.
  await execute(db.update(tickets).set({ subject: '', ratingComment: null }).where(inArray(tickets.id, ticketIds)));
  await execute(db.update(outbox)
    .set({
      mail: {},
      recipient: sql`CASE WHEN ${outbox.recipient} = ${customer.email} THEN ${anonymous} ELSE ${outbox.recipient} END`,
      recipientDomain: sql`CASE WHEN ${outbox.recipient} = ${customer.email} THEN NULL ELSE ${outbox.recipientDomain} END`,
      // A mail not sent yet would carry their data out after all: it is given up. An SMTP error may name them.
      status: sql`CASE WHEN ${outbox.status} IN ('queued', 'held') THEN 'failed' ELSE ${outbox.status} END`,
      lastError: sql`CASE WHEN ${outbox.status} IN ('queued', 'held') THEN 'not sent: the customer''s data was erased' WHEN ${outbox.status} = 'failed' THEN 'failed (the error was erased with the customer''s data)' END`,
    })
    .where(inArray(outbox.id, data.outbox.map((o) => o.id))));
  // Their feedback keeps counting for its FAQ entry, without their address, words or mail.
  await execute(db.update(faqFeedback)
    .set({ sender: anonymous, comment: '', rawSha256: null, rawSize: null, rawPack: null, rawOffset: null })
    .where(inArray(faqFeedback.id, data.feedback.map((f) => f.id))));
  await execute(db.update(customers).set({ email: anonymous, name: null, language: null, vip: false }).where(eq(customers.id, customer.id)));
}

/** Of these raw mails (by sha256), those no remaining row keeps: their bytes can go. */
export async function unkeptRawMails(db: Db, shas: string[]): Promise<string[]> {
  const { duplicateDeliveries, faqFeedback, messages, quarantine } = tablesOf(db);
  const kept = new Set([
    ...(await all(db.select({ sha: messages.rawSha256 }).from(messages).where(inArray(messages.rawSha256, shas)))).map((r) => r.sha),
    ...(await all(db.select({ sha: quarantine.rawSha256 }).from(quarantine).where(inArray(quarantine.rawSha256, shas)))).map((r) => r.sha),
    ...(await all(db.select({ sha: duplicateDeliveries.rawSha256 }).from(duplicateDeliveries).where(inArray(duplicateDeliveries.rawSha256, shas)))).map((r) => r.sha),
    ...(await all(db.select({ sha: faqFeedback.rawSha256 }).from(faqFeedback).where(inArray(faqFeedback.rawSha256, shas)))).map((r) => r.sha),
  ]);
  return [...new Set(shas)].filter((sha) => !kept.has(sha));
}

/** Of these attachments (by sha256), those no remaining attachment row keeps (another customer may share one). */
export async function unkeptAttachments(db: Db, shas: string[]): Promise<string[]> {
  const { attachments } = tablesOf(db);
  const kept = new Set((await all(db.select({ sha: attachments.sha256 }).from(attachments).where(inArray(attachments.sha256, shas)))).map((r) => r.sha));
  return [...new Set(shas)].filter((sha) => !kept.has(sha));
}
