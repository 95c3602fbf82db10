// sitemap.xml: every page of every language built.
import type { APIRoute } from 'astro';
import { faqEntries, siteLocales, stagesOf } from '../lib/faq.ts';
import { categoryUrl, contentsUrl, homeUrl, questionUrl, stageUrl } from '../lib/urls.ts';

export const GET: APIRoute = async ({ site }) => {
  const paths: { path: string; lastmod?: string }[] = [{ path: '/' }];
  for (const locale of await siteLocales()) {
    const entries = await faqEntries(locale);
    paths.push({ path: homeUrl(locale) }, { path: contentsUrl(locale) }, ...stagesOf(entries).map((s) => ({ path: stageUrl(locale, s) })));
    const categories = new Set(entries.map((e) => categoryUrl(locale, e.stage, e.category)));
    paths.push(...[...categories].map((path) => ({ path })));
    for (const e of entries) paths.push({ path: questionUrl(locale, e.slug), lastmod: e.updated });
  }
  const urls = paths.map(({ path, lastmod }) => `  <url><loc>${new URL(path, site).href}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
  return new Response(xml, { headers: { 'Content-Type': 'application/xml' } });
};
