// sitemap.xml: every page of both languages.
import type { APIRoute } from 'astro';
import { LOCALES, STAGES } from '../../../src/search/faq-schema.ts';
import { faqEntries } from '../lib/faq.ts';
import { contentsUrl, homeUrl, questionUrl, stageUrl } from '../lib/urls.ts';

export const GET: APIRoute = async ({ site }) => {
  const paths: { path: string; lastmod?: string }[] = [];
  for (const locale of LOCALES) {
    paths.push({ path: homeUrl(locale) }, { path: contentsUrl(locale) }, ...STAGES.map((s) => ({ path: stageUrl(locale, s) })));
    for (const e of await faqEntries(locale)) paths.push({ path: questionUrl(locale, e.slug), lastmod: e.updated });
  }
  const urls = paths.map(({ path, lastmod }) => `  <url><loc>${new URL(path, site).href}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
  return new Response(xml, { headers: { 'Content-Type': 'application/xml' } });
};
