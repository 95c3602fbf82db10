// What Postdesk holds about one customer: the database's rows (store/customer-data.ts) and the held
// mails of the quarantine that name their address (those have no customer yet, only raw bytes).
import type { App } from '../app.ts';
import { findCustomer } from '../store/customers.ts';
import { findCustomerData, type CustomerData } from '../store/customer-data.ts';
import { listQuarantine, rawOfQuarantined, type QuarantineRow } from '../store/quarantine.ts';

export interface Holdings extends CustomerData {
  heldMails: QuarantineRow[];
}

export async function findHoldings(app: App, email: string): Promise<Holdings | undefined> {
  const customer = await findCustomer(app.db, email);
  if (!customer) return undefined;
  const heldMails: QuarantineRow[] = [];
  for (const q of [...(await listQuarantine(app.db, 'held')), ...(await listQuarantine(app.db, 'released'))]) {
    // Addresses are ASCII: a lower-cased latin1 view of the bytes finds them in any header or body.
    if ((await app.raw.get(rawOfQuarantined(q))).toString('latin1').toLowerCase().includes(customer.email)) heldMails.push(q);
  }
  return { ...(await findCustomerData(app.db, customer)), heldMails };
}

/** How much of each kind: what `forget` says it would erase, and what the audit event records. */
export function holdingCounts(h: Holdings) {
  return {
    tickets: h.tickets.length,
    messages: h.messages.length,
    rawMails: h.messages.filter((m) => m.rawSha256).length + h.duplicates.length + h.feedback.filter((f) => f.rawSha256).length,
    attachments: h.attachments.length,
    events: h.events.length,
    outbox: h.outbox.length,
    quarantine: h.heldMails.length,
    faqFeedback: h.feedback.length,
  };
}
