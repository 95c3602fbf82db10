// Every internal address in one place, so pages, search results and the sitemap agree.
import type { Locale, Stage } from '../../../src/search/faq-enums.ts';

export const homeUrl = (locale: Locale) => `/${locale}/`;
export const stageUrl = (locale: Locale, stage: Stage) => `/${locale}/${stage}/`;
export const questionUrl = (locale: Locale, slug: string) => `/${locale}/q/${slug}/`;
export const categoryUrl = (locale: Locale, stage: Stage, category: string) => `/${locale}/${stage}/${category}/`;
export const contentsUrl = (locale: Locale) => `/${locale}/contents/`;
export const searchIndexUrl = (locale: Locale) => `/${locale}/search-index.json`;
/** The brand files (logo, favicon) copied from the FAQ directory. */
export const brandFileUrl = (name: string) => `/brand/${name}`;

/** The same page in each of the given languages, for hreflang links and the language switch. */
export const alternatesIn = (locales: Locale[], url: (locale: Locale) => string): Partial<Record<Locale, string>> =>
  Object.fromEntries(locales.map((l) => [l, url(l)]));
