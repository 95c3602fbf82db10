// The FAQ entries the search found for a ticket's first message (one row per match, also below the
// suggestion threshold), and the counts `faq stats` reads from them.
import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { insertRowId } from './prepared.ts';
import type { faqMatches } from './schema.ts';
import { all, tablesOf } from './dialect.ts';

export type FaqMatchRow = typeof faqMatches.$inferSelect;
export type NewFaqMatch = Pick<FaqMatchRow, 'slug' | 'score' | 'rank' | 'suggested'>;

export async function recordFaqMatches(db: Db, ticketId: number, language: string, matches: NewFaqMatch[], at: Date): Promise<void> {
  const { faqMatches } = tablesOf(db);
  for (const m of matches) await insertRowId(db, faqMatches, { ticketId, language, ...m, createdAt: at });
}

/** The slugs put into the ticket's acknowledgement, best first. */
export async function suggestedFaqs(db: Db, ticketId: number): Promise<string[]> {
  const { faqMatches } = tablesOf(db);
  return (await all(db
    .select({ slug: faqMatches.slug })
    .from(faqMatches)
    .where(and(eq(faqMatches.ticketId, ticketId), eq(faqMatches.suggested, true)))
    .orderBy(asc(faqMatches.rank))))
    .map((r) => r.slug);
}

export interface FaqMatchCounts {
  slug: string;
  /** Tickets whose best match (rank 1) was this entry: what customers asked. */
  matched: number;
  /** Tickets whose acknowledgement suggested it. */
  suggested: number;
}

/** Per entry, over the matches recorded in [since, until): each ticket counted once. */
export async function faqMatchCountsBetween(db: Db, since: Date, until: Date): Promise<FaqMatchCounts[]> {
  const { faqMatches } = tablesOf(db);
  // mapWith: drizzle hands PostgreSQL's int8 counts and sums over as strings.
  return all(db
    .select({
      slug: faqMatches.slug,
      matched: sql<number>`count(DISTINCT CASE WHEN ${faqMatches.rank} = 1 THEN ${faqMatches.ticketId} END)`.mapWith(Number),
      suggested: sql<number>`count(DISTINCT CASE WHEN ${faqMatches.suggested} THEN ${faqMatches.ticketId} END)`.mapWith(Number),
    })
    .from(faqMatches)
    .where(and(gte(faqMatches.createdAt, since), lt(faqMatches.createdAt, until)))
    .groupBy(faqMatches.slug));
}

/** Per entry, the tickets resolved in [since, until) as self-served with it. */
export async function selfServedCountsBetween(db: Db, since: Date, until: Date): Promise<{ slug: string; selfServed: number }[]> {
  const { tickets } = tablesOf(db);
  return (await all(db
    .select({ slug: sql<string>`${tickets.selfServedFaq}`, selfServed: count() })
    .from(tickets)
    .where(and(eq(tickets.resolution, 'self-served'), gte(tickets.resolvedAt, since), lt(tickets.resolvedAt, until)))
    .groupBy(tickets.selfServedFaq)))
    .filter((r) => r.slug !== null);
}
