// Every internal address in one place, so pages, search results and the sitemap agree.
import { LOCALES, type Locale, type Stage } from '../../../src/search/faq-enums.ts';

export const homeUrl = (locale: Locale) => `/${locale}/`;
export const stageUrl = (locale: Locale, stage: Stage) => `/${locale}/${stage}/`;
export const questionUrl = (locale: Locale, slug: string) => `/${locale}/q/${slug}/`;
export const contentsUrl = (locale: Locale) => `/${locale}/contents/`;
export const searchIndexUrl = (locale: Locale) => `/${locale}/search-index.json`;

/** getStaticPaths() of pages that exist once per language. */
export const localePaths = () => LOCALES.map((locale) => ({ params: { locale } }));
