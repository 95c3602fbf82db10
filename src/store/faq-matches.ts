// The FAQ entries the search found for a ticket's first message, suggested or not.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { insertRowId } from './prepared.ts';
import { faqMatches } from './schema.ts';

export type FaqMatchRow = typeof faqMatches.$inferSelect;
export type NewFaqMatch = Pick<FaqMatchRow, 'slug' | 'score' | 'rank' | 'suggested'>;

export function recordFaqMatches(db: Db, ticketId: number, language: string, matches: NewFaqMatch[], at: Date): void {
  for (const m of matches) insertRowId(db, faqMatches, { ticketId, language, ...m, createdAt: at });
}

/** The slugs put into the ticket's acknowledgement, best first. */
export function suggestedFaqs(db: Db, ticketId: number): string[] {
  return db
    .select({ slug: faqMatches.slug })
    .from(faqMatches)
    .where(and(eq(faqMatches.ticketId, ticketId), eq(faqMatches.suggested, true)))
    .orderBy(asc(faqMatches.rank))
    .all()
    .map((r) => r.slug);
}
