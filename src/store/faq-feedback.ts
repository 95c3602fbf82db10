// "Did this answer your question?" mails from the help center: one row per mail, counted or (past the
// rate limit) only kept, and the counts `faq stats` reads.
import { and, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { PackLocation } from './pack-store.ts';
import { insertRow } from './prepared.ts';
import type { faqFeedback } from './schema.ts';
import { execute, first, all, tablesOf } from './dialect.ts';

export type FaqFeedbackRow = typeof faqFeedback.$inferSelect;

/** One counted answer per entry, sender and this long: a visitor clicking twice, or a script, counts once. */
export const FEEDBACK_RATE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface NewFaqFeedback {
  slug: string;
  helpful: boolean;
  sender: string;
  comment: string;
  raw: PackLocation;
  at: Date;
}

/** Records a feedback mail; it counts unless the sender's last counted one on this entry is recent. */
export async function recordFaqFeedback(db: Db, f: NewFaqFeedback): Promise<FaqFeedbackRow> {
  const { faqFeedback } = tablesOf(db);
  const recent = (await first(db
    .select({ id: faqFeedback.id })
    .from(faqFeedback)
    .where(and(eq(faqFeedback.sender, f.sender), eq(faqFeedback.slug, f.slug), eq(faqFeedback.counted, true), gt(faqFeedback.createdAt, new Date(f.at.getTime() - FEEDBACK_RATE_WINDOW_MS))))
    .orderBy(desc(faqFeedback.createdAt))));
  return insertRow(db, faqFeedback, {
    slug: f.slug,
    helpful: f.helpful,
    sender: f.sender,
    comment: f.comment,
    counted: !recent,
    rawSha256: f.raw.sha256,
    rawSize: f.raw.size,
    rawPack: f.raw.pack,
    rawOffset: f.raw.offset,
    createdAt: f.at,
  });
}

/** The ticket a "No" with a comment opened. */
export async function linkFaqFeedbackTicket(db: Db, feedbackId: number, ticketId: number): Promise<void> {
  const { faqFeedback } = tablesOf(db);
  await execute(db.update(faqFeedback).set({ ticketId }).where(eq(faqFeedback.id, feedbackId)));
}

export interface FaqFeedbackCounts {
  slug: string;
  helpful: number;
  notHelpful: number;
}

/** Per entry, the counted answers given in [since, until). */
export async function faqFeedbackCountsBetween(db: Db, since: Date, until: Date): Promise<FaqFeedbackCounts[]> {
  const { faqFeedback } = tablesOf(db);
  // mapWith: drizzle hands PostgreSQL's int8 counts and sums over as strings.
  return all(db
    .select({
      slug: faqFeedback.slug,
      helpful: sql<number>`sum(CASE WHEN ${faqFeedback.helpful} THEN 1 ELSE 0 END)`.mapWith(Number),
      notHelpful: sql<number>`sum(CASE WHEN ${faqFeedback.helpful} THEN 0 ELSE 1 END)`.mapWith(Number),
    })
    .from(faqFeedback)
    .where(and(eq(faqFeedback.counted, true), gte(faqFeedback.createdAt, since), lt(faqFeedback.createdAt, until)))
    .groupBy(faqFeedback.slug));
}

export async function listFaqFeedback(db: Db, slug?: string): Promise<FaqFeedbackRow[]> {
  const { faqFeedback } = tablesOf(db);
  return all(db.select().from(faqFeedback).where(slug ? eq(faqFeedback.slug, slug) : undefined).orderBy(faqFeedback.id));
}
