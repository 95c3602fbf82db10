// FAQ entries as the pages need them: per locale, grouped by stage and category, most-asked first;
// and which languages, stages and categories have questions, since only those are built and linked.
import { getCollection } from 'astro:content';
import { STAGES, type FaqEntry, type Locale, type Stage } from '../../../src/search/faq-schema.ts';
import { UI } from './site.ts';
import { SITE_CONFIG_FILE, siteConfig, SiteConfigError } from './site-config.ts';

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

/** The languages built: those site.json offers that have published questions, the default first. */
export async function siteLocales(): Promise<Locale[]> {
  const { locales, defaultLocale } = siteConfig();
  const withQuestions = new Set((await getCollection('faq')).map((e) => (e.data as unknown as FaqEntry).locale));
  if (!withQuestions.has(defaultLocale)) throw new SiteConfigError(`${SITE_CONFIG_FILE}: field "defaultLocale": there are no published ${defaultLocale} questions`);
  return [defaultLocale, ...locales.filter((l) => l !== defaultLocale && withQuestions.has(l))];
}

/** The stages with questions, in their fixed order. */
export function stagesOf(entries: FaqEntry[]): Stage[] {
  return STAGES.filter((stage) => entries.some((e) => e.stage === stage));
}

/** getStaticPaths() of pages that exist once per language. */
export const localePaths = async () => (await siteLocales()).map((locale) => ({ params: { locale } }));

/** The newest `updated` first, for the contents page. */
export function recentlyUpdated(entries: FaqPageEntry[], limit: number): FaqPageEntry[] {
  return entries.filter((e) => e.updated).sort((a, b) => b.updated!.localeCompare(a.updated!)).slice(0, limit);
}
