// FAQ questions in the shared search index: what is indexed, and what a hit looks like.
import type { FaqEntry, Locale, Stage } from './faq-schema.ts';
import { markdownToText } from './markdown-text.ts';
import { SearchIndex, type IndexableDoc } from './search-index.ts';

/** What the index keeps per question, and what `postdesk faq search` prints. */
export interface FaqHitMeta {
  slug: string;
  question: string;
  stage: Stage;
  category: string;
}

export interface FaqSearchResult extends FaqHitMeta {
  score: number;
}

export function faqSearchDocs(entries: readonly FaqEntry[]): IndexableDoc<FaqHitMeta>[] {
  return entries.map((e) => ({
    title: e.question,
    // Tags are written for finding: they count as answer text.
    body: `${e.tags.join(' ')}\n${markdownToText(e.body)}`,
    meta: { slug: e.slug, question: e.question, stage: e.stage, category: e.category },
  }));
}

export function buildFaqIndex(entries: readonly FaqEntry[], locale: Locale): SearchIndex<FaqHitMeta> {
  return SearchIndex.build(faqSearchDocs(entries.filter((e) => e.locale === locale)));
}

export function searchFaq(
  index: SearchIndex<FaqHitMeta>,
  query: string,
  options: { stage?: Stage; limit?: number } = {},
): FaqSearchResult[] {
  const { stage, limit = 10 } = options;
  return index
    .search(query, { limit, filter: stage ? (m) => m.stage === stage : undefined })
    .map((h) => ({ ...h.meta, score: Math.round(h.score * 1000) / 1000 }));
}

/** Each locale's index over loaded entries, built the first time it is asked for. */
export function faqIndexes(entries: readonly FaqEntry[]): (locale: Locale) => SearchIndex<FaqHitMeta> {
  const indexes = new Map<Locale, SearchIndex<FaqHitMeta>>();
  return (locale) => {
    let index = indexes.get(locale);
    if (!index) indexes.set(locale, (index = buildFaqIndex(entries, locale)));
    return index;
  };
}

/** Search over loaded entries in either language. */
export function faqSearcher(entries: readonly FaqEntry[]) {
  const index = faqIndexes(entries);
  return (query: string, locale: Locale, options: { stage?: Stage; limit?: number } = {}): FaqSearchResult[] => searchFaq(index(locale), query, options);
}
