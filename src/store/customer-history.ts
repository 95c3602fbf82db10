// What a customer's tickets tell about them, for their inferred stage: read from the tickets and
// messages tables, each query prepared once (it runs for every new ticket).
import { and, asc, eq, isNotNull, min, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import { tablesOf } from './dialect.ts';

/** When the customer's first ticket that is resolved now was resolved; undefined when none is. */
export async function firstResolvedAt(db: Db, customerId: number): Promise<Date | undefined> {
  const { tickets } = tablesOf(db);
  const row = await prepared(db, 'firstResolvedAt', () =>
    db
      .select({ at: min(tickets.resolvedAt) })
      .from(tickets)
      .where(and(eq(tickets.customerId, sql.placeholder('customerId')), isNotNull(tickets.resolvedAt)))
      .prepare(),
  ).get({ customerId });
  return row?.at ?? undefined;
}

/** The subject and the beginning of the visible text of the first mail the customer wrote to us. */
export async function firstCustomerMail(db: Db, customerId: number): Promise<{ subject: string; text: string } | undefined> {
  const { messages, tickets } = tablesOf(db);
  const row = await prepared(db, 'firstCustomerMail', () =>
    db
      // Their beginnings: enough to tell what the mail is about, without reading a pasted log.
      .select({ subject: messages.subject, visibleText: sql<string>`substr(${messages.visibleText}, 1, 4000)`, text: sql<string>`substr(${messages.text}, 1, 4000)` })
      .from(messages)
      .innerJoin(tickets, eq(messages.ticketId, tickets.id))
      .where(and(eq(tickets.customerId, sql.placeholder('customerId')), eq(messages.kind, 'customer')))
      .orderBy(asc(messages.id))
      .limit(1)
      .prepare(),
  ).get({ customerId });
  return row && { subject: row.subject, text: row.visibleText || row.text };
}
