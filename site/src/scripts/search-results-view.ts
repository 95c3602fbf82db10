// Renders search hits into the results panel: grouped by stage (the group with the best hit
// first), each question with a short excerpt of its answer, matched words in <mark>, and the
// contact fallback when nothing matches.
// Built with DOM nodes, never innerHTML, so FAQ text and queries cannot inject markup.
import { excerptSegments } from '../../../src/search/excerpt.ts';
import { highlightSegments, type TextSegment } from '../../../src/search/highlight.ts';
import type { SearchHit } from '../../../src/search/search-index.ts';
import type { FaqHitMeta } from '../../../src/search/faq-search.ts';
import type { Locale } from '../../../src/search/faq-enums.ts';
import { questionUrl } from '../lib/urls.ts';
import { HTML_LANG } from '../lib/i18n.ts';

/** What the site's index keeps per question: the search's own fields and the answer as plain text. */
export interface ResultMeta extends FaqHitMeta {
  answer: string;
}

export interface ClientText {
  stages: Record<string, string>;
  categories: Record<string, string>;
  resultCount: string;
  noResults: string;
  stillNeedHelp: string;
  emailUs: string;
}

export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, children: (Node | string)[] = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

// Two lines or so: a Chinese character is about twice as wide as a Latin letter, and says more.
const EXCERPT_LENGTH: Record<Locale, number> = { en: 160, zh: 80 };

const marked = (segments: TextSegment[]): Node[] =>
  segments.map((s) => (s.match ? element('mark', {}, [s.text]) : document.createTextNode(s.text)));

export function renderResults(panel: HTMLElement, hits: SearchHit<ResultMeta>[], query: string, locale: Locale, text: ClientText, supportAddress: string): void {
  panel.replaceChildren();
  if (!hits.length) {
    const mailto = `mailto:${supportAddress}?subject=${encodeURIComponent(query)}`;
    panel.append(
      element('p', { className: 'search-empty' }, [fill(text.noResults, { q: query })]),
      element('p', {}, [`${text.stillNeedHelp} `, element('a', { href: mailto, className: 'search-result-link' }, [text.emailUs])]),
    );
    return;
  }
  const stages = [...new Set(hits.map((h) => h.meta.stage))];
  stages.forEach((stage, i) => {
    const labelId = `search-group-${i}`;
    const list = element('ul', { className: 'search-group-list' });
    list.setAttribute('aria-labelledby', labelId);
    for (const hit of hits.filter((h) => h.meta.stage === stage)) {
      const lang = HTML_LANG[locale];
      const link = element('a', { href: questionUrl(locale, hit.meta.slug), className: 'search-result-link', lang }, marked(highlightSegments(hit.meta.question, query)));
      const excerpt = element('span', { className: 'search-result-excerpt', lang }, marked(excerptSegments(hit.meta.answer, query, EXCERPT_LENGTH[locale])));
      const category = element('span', { className: 'search-result-category' }, [text.categories[hit.meta.category] ?? hit.meta.category]);
      list.append(element('li', {}, [link, excerpt, category]));
    }
    panel.append(element('p', { id: labelId, className: 'search-group-label' }, [text.stages[stage] ?? stage]), list);
  });
}
