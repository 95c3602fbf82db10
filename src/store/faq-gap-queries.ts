// The reads behind `postdesk faq gaps`: the first customer message of each question opened since a
// date (a range over tickets_created), and what is known about how the FAQ answered them.
import { and, asc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { CustomerStage } from './schema.ts';
import { all, tablesOf } from './dialect.ts';

export interface AskedQuestion {
  ticketId: number;
  number: number;
  /** The subject and the visible text (quotes and signature left out) of the ticket's first customer mail. */
  subject: string;
  text: string;
  /** The stage kept with the ticket when it opened, else the customer's now. */
  stage: CustomerStage;
  customerLanguage: string | null;
  selfServed: boolean;
}

/**
 * Questions opened since `since`: not complaints, and not tickets linked to an earlier one (a late
 * reply to an old conversation is no new question).
 */
export async function questionsAskedSince(db: Db, since: Date): Promise<AskedQuestion[]> {
  const { customers, messages, tickets } = tablesOf(db);
  const firstMessage = db
    .select({ ticketId: messages.ticketId, id: sql<number>`min(${messages.id})`.as('first_id') })
    .from(messages)
    .where(and(eq(messages.direction, 'in'), eq(messages.kind, 'customer')))
    .groupBy(messages.ticketId)
    .as('first_message');
  return all(db
    .select({
      ticketId: tickets.id,
      number: tickets.number,
      subject: messages.subject,
      text: sql<string>`coalesce(nullif(${messages.visibleText}, ''), ${messages.text})`,
      stage: sql<CustomerStage>`coalesce(${tickets.customerStage}, ${customers.stage})`,
      customerLanguage: customers.language,
      selfServed: sql<boolean>`${tickets.resolution} IS NOT DISTINCT FROM 'self-served'`.mapWith(Boolean),
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .innerJoin(firstMessage, eq(firstMessage.ticketId, tickets.id))
    .innerJoin(messages, eq(messages.id, firstMessage.id))
    .where(and(gte(tickets.createdAt, since), ne(tickets.type, 'complaint'), isNull(tickets.linkedTicketId)))
    .orderBy(asc(tickets.number)));
}

export interface SuggestedMatch {
  slug: string;
  language: string;
}

/** Per ticket opened since `since`, the FAQ entries its acknowledgement suggested (where the suggestion search ran). */
export async function suggestedMatchesSince(db: Db, since: Date): Promise<Map<number, SuggestedMatch[]>> {
  const { faqMatches, tickets } = tablesOf(db);
  const byTicket = new Map<number, SuggestedMatch[]>();
  const rows = (await all(db
    .select({ ticketId: faqMatches.ticketId, slug: faqMatches.slug, language: faqMatches.language })
    .from(faqMatches)
    .innerJoin(tickets, eq(tickets.id, faqMatches.ticketId))
    .where(and(gte(tickets.createdAt, since), eq(faqMatches.suggested, true)))));
  for (const { ticketId, ...match } of rows) {
    const list = byTicket.get(ticketId);
    if (list) list.push(match);
    else byTicket.set(ticketId, [match]);
  }
  return byTicket;
}

/** Tickets opened since `since` by a "No, this did not answer my question" from an answer page, with the entry's slug. */
export async function unansweredFeedbackSince(db: Db, since: Date): Promise<Map<number, string>> {
  const { faqFeedback, tickets } = tablesOf(db);
  const rows = (await all(db
    .select({ ticketId: tickets.id, slug: faqFeedback.slug })
    .from(faqFeedback)
    .innerJoin(tickets, eq(tickets.id, faqFeedback.ticketId))
    .where(and(gte(tickets.createdAt, since), eq(faqFeedback.helpful, false)))));
  return new Map(rows.map((r) => [r.ticketId, r.slug]));
}
