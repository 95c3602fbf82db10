// The prebuilt search index of one language, shipped as a static file and loaded by the search box.
// Each question also carries its answer as plain text, for the excerpt under each result: the
// rendered answer through html-to-text, which keeps what a reader sees ("Wi-Fi", list numbers).
import type { APIRoute } from 'astro';
import type { Locale } from '../../../../src/search/faq-schema.ts';
import { compile } from 'html-to-text';
import { faqSearchDocs } from '../../../../src/search/faq-search.ts';
import { SearchIndex } from '../../../../src/search/search-index.ts';
import type { ResultMeta } from '../../scripts/search-results-view.ts';
import { faqEntries } from '../../lib/faq.ts';
import { localePaths } from '../../lib/faq.ts';

export const getStaticPaths = localePaths;

const keepCase = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));
const toText = compile({
  wordwrap: false,
  selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }, ...keepCase],
});
const answerText = (html: string) => toText(html).replace(/\s+/g, ' ').trim();

export const GET: APIRoute = async ({ params }) => {
  const entries = await faqEntries(params.locale as Locale);
  const docs = faqSearchDocs(entries).map((doc, i) => ({ ...doc, meta: { ...doc.meta, answer: answerText(entries[i].html) } satisfies ResultMeta }));
  const index = SearchIndex.build(docs);
  return new Response(JSON.stringify(index.toJSON()), { headers: { 'Content-Type': 'application/json' } });
};
