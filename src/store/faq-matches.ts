// The FAQ entries the search found for a ticket's first message (one row per match, also below the
// suggestion threshold), and the counts `faq stats` reads from them.
import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { faqMatches, tickets } from './schema.ts';

export interface FaqMatch {
  slug: string;
  language: string;
  score: number;
  /** 1 is the best match. */
  rank: number;
  /** Put into the acknowledgement. */
  suggested: boolean;
}

/** Records what the search found for a ticket's first message (call inside the mail's transaction). */
export function recordFaqMatches(db: Db, ticketId: number, matches: readonly FaqMatch[], at: Date): void {
  if (!matches.length) return;
  db.insert(faqMatches)
    .values(matches.map((m) => ({ ticketId, ...m, createdAt: at })))
    .run();
}

export interface FaqMatchCounts {
  slug: string;
  /** Tickets whose best match (rank 1) was this entry: what customers asked. */
  matched: number;
  /** Tickets whose acknowledgement suggested it. */
  suggested: number;
}

/** Per entry, over the matches recorded in [since, until): each ticket counted once. */
export function faqMatchCountsBetween(db: Db, since: Date, until: Date): FaqMatchCounts[] {
  return db
    .select({
      slug: faqMatches.slug,
      matched: sql<number>`count(DISTINCT CASE WHEN ${faqMatches.rank} = 1 THEN ${faqMatches.ticketId} END)`,
      suggested: sql<number>`count(DISTINCT CASE WHEN ${faqMatches.suggested} THEN ${faqMatches.ticketId} END)`,
    })
    .from(faqMatches)
    .where(and(gte(faqMatches.createdAt, since), lt(faqMatches.createdAt, until)))
    .groupBy(faqMatches.slug)
    .all();
}

/** Per entry, the tickets resolved in [since, until) as self-served with it. */
export function selfServedCountsBetween(db: Db, since: Date, until: Date): { slug: string; selfServed: number }[] {
  return db
    .select({ slug: sql<string>`${tickets.selfServedFaq}`, selfServed: count() })
    .from(tickets)
    .where(and(eq(tickets.resolution, 'self-served'), gte(tickets.resolvedAt, since), lt(tickets.resolvedAt, until)))
    .groupBy(tickets.selfServedFaq)
    .all()
    .filter((r) => r.slug !== null);
}
