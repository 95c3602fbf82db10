// `postdesk faq stats`: per FAQ entry, what the tickets and the help center's feedback say about it
// over a period. An entry is known by its slug, the same in every language.
import type { Db } from '../store/db.ts';
import { faqFeedbackCountsBetween } from '../store/faq-feedback.ts';
import { faqMatchCountsBetween, selfServedCountsBetween } from '../store/faq-matches.ts';
import type { FaqEntry, Locale } from '../search/faq-schema.ts';

export interface FaqEntryStats {
  slug: string;
  /** The question in each language the FAQ has it in; empty for an entry no longer in the FAQ. */
  question: Partial<Record<Locale, string>>;
  /** Tickets whose first message matched it best (rank 1): what customers asked. Its popularity. */
  matched: number;
  /** Tickets whose acknowledgement suggested it. */
  suggested: number;
  /** Tickets the customer resolved with it. */
  selfServed: number;
  /** "Did this answer your question?" Yes / No, counted within the rate limit. */
  helpful: number;
  notHelpful: number;
  inFaq: boolean;
}

const NONE = { matched: 0, suggested: 0, selfServed: 0, helpful: 0, notHelpful: 0 };

/** Every entry of the FAQ (and any slug counted but no longer there), most asked first. */
export async function faqStats(db: Db, entries: readonly FaqEntry[], since: Date, until: Date): Promise<FaqEntryStats[]> {
  const stats = new Map<string, FaqEntryStats>();
  const of = (slug: string) => {
    let s = stats.get(slug);
    if (!s) stats.set(slug, (s = { slug, question: {}, ...NONE, inFaq: false }));
    return s;
  };
  for (const e of entries) Object.assign(of(e.slug), { inFaq: true }).question[e.locale] = e.question;
  for (const m of await faqMatchCountsBetween(db, since, until)) Object.assign(of(m.slug), { matched: m.matched, suggested: m.suggested });
  for (const s of await selfServedCountsBetween(db, since, until)) of(s.slug).selfServed = s.selfServed;
  for (const f of await faqFeedbackCountsBetween(db, since, until)) Object.assign(of(f.slug), { helpful: f.helpful, notHelpful: f.notHelpful });
  return [...stats.values()].sort((a, b) => b.matched - a.matched || a.slug.localeCompare(b.slug));
}
