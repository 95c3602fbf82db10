// Search as you type: loads the prebuilt index once, searches after a short pause (never while an
// input method is still composing), and handles the keyboard: ↓/↑ move through results,
// Enter opens the highlighted or first answer, Esc closes the panel.
import { SearchIndex, type SerializedIndex } from '../../../src/search/search-index.ts';
import type { Locale } from '../../../src/search/faq-enums.ts';
import { queryLocale } from '../../../src/search/query-locale.ts';
import { fill, renderResults, type ClientText, type ResultMeta } from './search-results-view.ts';

const DEBOUNCE_MS = 120;
const RESULT_LIMIT = 8;
// In the panel, answers far weaker than the best one (a single shared character, say) are noise.
const MIN_SHARE_OF_BEST_SCORE = 0.25;

export function startSearchBox(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[type=search]')!;
  const panel = form.querySelector<HTMLElement>('.search-results')!;
  const status = form.querySelector<HTMLElement>('[data-search-status]')!;
  const pageLocale = form.dataset.locale as Locale;
  const indexUrls = JSON.parse(form.dataset.indexUrls!) as Record<Locale, string>;
  const text = JSON.parse(form.dataset.text!) as ClientText;
  const supportAddress = form.dataset.supportAddress!;
  const indexes = new Map<Locale, Promise<SearchIndex<ResultMeta>>>();
  let composing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let shownQuery = '';

  const loadIndex = (locale: Locale) => {
    let index = indexes.get(locale);
    if (!index) {
      index = fetch(indexUrls[locale])
        .then((r) => r.json() as Promise<SerializedIndex<ResultMeta>>)
        .then((data) => SearchIndex.fromJSON(data));
      indexes.set(locale, index);
    }
    return index;
  };

  const links = () => [...panel.querySelectorAll<HTMLAnchorElement>('a.search-result-link')];

  const close = () => {
    panel.hidden = true;
  };

  const run = async () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      shownQuery = '';
      status.textContent = '';
      panel.replaceChildren();
      return close();
    }
    // A Chinese query on a site built without Chinese searches the page's own index.
    const asked = queryLocale(query, pageLocale);
    const locale = asked in indexUrls ? asked : pageLocale;
    const all = (await loadIndex(locale)).search(query, { limit: RESULT_LIMIT });
    const hits = all.filter((h) => h.score >= all[0].score * MIN_SHARE_OF_BEST_SCORE);
    if (input.value.trim() !== query) return; // the visitor kept typing; a newer run follows
    renderResults(panel, hits, query, locale, text, supportAddress);
    shownQuery = panel.dataset.query = query;
    status.textContent = hits.length ? fill(text.resultCount, { n: hits.length }) : fill(text.noResults, { q: query });
    panel.hidden = false;
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };

  input.addEventListener('focus', () => void loadIndex(pageLocale), { once: true });
  input.addEventListener('compositionstart', () => (composing = true));
  input.addEventListener('compositionend', () => {
    composing = false;
    schedule();
  });
  input.addEventListener('input', (e) => {
    if (composing || (e as InputEvent).isComposing) return;
    schedule();
  });

  input.addEventListener('keydown', async (e) => {
    if (e.isComposing || composing) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (shownQuery !== input.value.trim()) await run();
      links()[0]?.focus();
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter') {
      // Enter opens the best answer; with no answer the form goes to the contents page as usual.
      e.preventDefault();
      if (shownQuery !== input.value.trim()) await run();
      const first = panel.hidden ? undefined : panel.querySelector<HTMLAnchorElement>('a.search-result-link[href^="/"]');
      if (first) window.location.assign(first.href);
      else form.submit();
    }
  });

  panel.addEventListener('keydown', (e) => {
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = at + (e.key === 'ArrowDown' ? 1 : -1);
      if (next < 0) input.focus();
      else all[Math.min(next, all.length - 1)].focus();
    } else if (e.key === 'Escape') {
      close();
      input.focus();
    }
  });

  // Clicking or tabbing away closes the panel; focus inside the form keeps it open.
  form.addEventListener('focusout', (e) => {
    if (!form.contains(e.relatedTarget as Node | null)) close();
  });
  input.addEventListener('focus', () => {
    if (shownQuery && shownQuery === input.value.trim()) panel.hidden = false;
  });

  // Arriving on the contents page from a search (?q=...) shows that search's answers.
  const query = new URLSearchParams(window.location.search).get('q');
  if (query && form.action === new URL(window.location.pathname, window.location.href).href) {
    input.value = query;
    void run();
  }
}
