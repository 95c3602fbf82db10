// The prebuilt search index of one language, shipped as a static file and loaded by the search box.
import type { APIRoute } from 'astro';
import type { Locale } from '../../../../src/search/faq-schema.ts';
import { faqSearchDocs } from '../../../../src/search/faq-search.ts';
import { SearchIndex } from '../../../../src/search/search-index.ts';
import { faqEntries } from '../../lib/faq.ts';
import { localePaths } from '../../lib/faq.ts';

export const getStaticPaths = localePaths;

export const GET: APIRoute = async ({ params }) => {
  const index = SearchIndex.build(faqSearchDocs(await faqEntries(params.locale as Locale)));
  return new Response(JSON.stringify(index.toJSON()), { headers: { 'Content-Type': 'application/json' } });
};
