// FAQ entries as the pages need them: per locale, grouped by stage and category, most-asked first.
import { getCollection } from 'astro:content';
import { type FaqEntry, type Locale, type Stage } from '../../../src/search/faq-schema.ts';
import { UI } from './i18n.ts';

export interface FaqPageEntry extends FaqEntry {
  html: string;
}

export interface CategoryGroup {
  category: string;
  entries: FaqPageEntry[];
}

/** All entries of a locale. The loader validated them against the shared schema. */
export async function faqEntries(locale: Locale): Promise<FaqPageEntry[]> {
  const all = await getCollection('faq');
  return all
    .map((e) => ({ ...(e.data as unknown as FaqEntry), html: e.rendered?.html ?? '' }))
    .filter((e) => e.locale === locale)
    .sort(mostAskedFirst);
}

/** Popularity (from ticket data) first, then the manual order, then the question text. */
export function mostAskedFirst(a: FaqEntry, b: FaqEntry): number {
  return b.popularity - a.popularity || (a.order ?? Infinity) - (b.order ?? Infinity) || a.question.localeCompare(b.question);
}

/** Known categories in their fixed order, then any others alphabetically. */
export function groupByCategory(locale: Locale, entries: FaqPageEntry[]): CategoryGroup[] {
  const known = Object.keys(UI[locale].categories);
  const rank = (c: string) => (known.includes(c) ? known.indexOf(c) : known.length);
  const categories = [...new Set(entries.map((e) => e.category))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return categories.map((category) => ({ category, entries: entries.filter((e) => e.category === category) }));
}

export function entriesOfStage(entries: FaqPageEntry[], stage: Stage): FaqPageEntry[] {
  return entries.filter((e) => e.stage === stage);
}
