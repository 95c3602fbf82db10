// Precision and recall of the answers suggested in acknowledgements (src/search/suggest.ts), on
// (1) StackFAQ (shared corpus): each query once against all FAQs (answerable) and once against the
//     FAQs without its own (no right answer: every suggestion is wrong), and
// (2) our English and Chinese ticket set over the sample FAQ (scripts/eval-suggest-set.json), with
//     its mails that no entry answers, and each answerable mail again without its entries.
// Precision: suggested answers that are right / all suggested answers. Recall: answerable questions
// that got a right suggestion / answerable questions. The threshold is chosen on the dev halves
// (highest recall with precision >= 0.9 on each), then the held-out halves are measured with it.
// Run: npm run eval:suggest
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SearchIndex } from '../src/search/search-index.ts';
import { loadFaqDir } from '../src/search/faq-loader.ts';
import { faqSearchDocs } from '../src/search/faq-search.ts';
import { matchAnswers, SUGGESTION_THRESHOLD, ticketQuery } from '../src/search/suggest.ts';

interface Case {
  split: 'dev' | 'holdout';
  query: string;
  /** Empty: no right answer in this index. */
  relevant: string[];
  /** Its right answers were taken out of the index (rather than there being none). */
  removed?: boolean;
  index: SearchIndex<{ id: string }>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Doc = { title: string; body: string; meta: { id: string } };
const build = (docs: Doc[]) => SearchIndex.build(docs);
const without = (docs: Doc[], ids: string[]) => build(docs.filter((d) => !ids.includes(d.meta.id)));

/** Each answerable case twice: as is, and against the index without its right answers. */
function withUnanswerable(docs: Doc[], full: SearchIndex<{ id: string }>, cases: Omit<Case, 'index'>[]): Case[] {
  const removed = new Map<string, SearchIndex<{ id: string }>>();
  return cases.flatMap((c) => {
    if (!c.relevant.length) return [{ ...c, index: full }];
    const key = c.relevant.join(' ');
    if (!removed.has(key)) removed.set(key, without(docs, c.relevant));
    return [{ ...c, index: full }, { ...c, relevant: [], removed: true, index: removed.get(key)! }];
  });
}

const STACKFAQ = path.resolve(repoRoot, '../shared/corpora/faq-search/stackfaq.json');

function stackFaq(): Case[] {
  const data = JSON.parse(readFileSync(STACKFAQ, 'utf8')) as {
    faqs: { id: string; question: string; answers: string[] }[];
    queries: { qid: string; text: string; relevant: string[] }[];
  };
  const docs = data.faqs.map((f) => ({ title: f.question, body: f.answers.join('\n'), meta: { id: f.id } }));
  // The same halves as scripts/eval-search.ts: by the query's position within its FAQ.
  const split = (qid: string) => (Number(qid.split('_q')[1]) % 2 === 0 ? 'dev' : 'holdout');
  return withUnanswerable(docs, build(docs), data.queries.map((q) => ({ split: split(q.qid), query: q.text, relevant: q.relevant })));
}

function ticketSet(): Case[] {
  const set = JSON.parse(readFileSync(path.join(repoRoot, 'scripts/eval-suggest-set.json'), 'utf8')) as {
    tickets: { language: 'en' | 'zh'; subject: string; text: string; relevant: string[] }[];
  };
  const entries = loadFaqDir(path.join(repoRoot, 'faq'));
  return (['en', 'zh'] as const).flatMap((locale) => {
    const docs = faqSearchDocs(entries.filter((e) => e.locale === locale)).map((d) => ({ ...d, meta: { id: d.meta.slug } }));
    const cases = set.tickets
      .map((t, i) => ({ ...t, split: (i % 2 === 0 ? 'dev' : 'holdout') as Case['split'] }))
      .filter((t) => t.language === locale)
      .map((t) => ({ split: t.split, query: ticketQuery(t.subject, t.text), relevant: t.relevant }));
    return withUnanswerable(docs, build(docs), cases);
  });
}

interface Figures {
  precision: number;
  recall: number;
  suggested: number;
  answerable: number;
  /** Questions without a right answer that got a suggestion anyway. */
  wrongOnUnanswerable: number;
  unanswerable: number;
}

/** Matches once per case; thresholds are then tried on the recorded confidences. */
function recorded(cases: Case[]) {
  return cases.map((c) => ({ ...c, matches: matchAnswers(c.index, c.query, { threshold: 0 }).slice(0, 3) }));
}

function measure(cases: ReturnType<typeof recorded>, threshold: number): Figures {
  const f: Figures = { precision: 0, recall: 0, suggested: 0, answerable: 0, wrongOnUnanswerable: 0, unanswerable: 0 };
  let right = 0;
  let found = 0;
  for (const c of cases) {
    const suggested = c.matches.filter((m) => m.confidence >= threshold);
    const hits = suggested.filter((m) => c.relevant.includes(m.meta.id)).length;
    f.suggested += suggested.length;
    right += hits;
    if (c.relevant.length) {
      f.answerable++;
      if (hits) found++;
    } else {
      f.unanswerable++;
      if (suggested.length) f.wrongOnUnanswerable++;
    }
  }
  f.precision = f.suggested ? right / f.suggested : 1;
  f.recall = found / (f.answerable || 1);
  return f;
}

function pickThreshold(devSets: ReturnType<typeof recorded>[]): number {
  let best = { threshold: 1, recall: -1 };
  for (let t = 0; t <= 1; t = Math.round((t + 0.005) * 1000) / 1000) {
    const figures = devSets.map((s) => measure(s, t));
    const recall = figures.reduce((sum, f) => sum + f.recall, 0);
    if (figures.every((f) => f.precision >= 0.9) && recall > best.recall) best = { threshold: t, recall };
  }
  return best.threshold;
}

function line(name: string, f: Figures): string {
  const n = (x: number) => x.toFixed(3);
  return `${name.padEnd(30)} precision ${n(f.precision)}  recall ${n(f.recall)}  (${f.suggested} suggested; ${f.answerable} answerable; ${f.wrongOnUnanswerable} of ${f.unanswerable} without an answer got one)`;
}

if (!existsSync(STACKFAQ)) console.log(`${STACKFAQ} is missing (put shared/ beside the repo): measuring the ticket set only`);
const sets = { ...(existsSync(STACKFAQ) ? { StackFAQ: recorded(stackFaq()) } : {}), 'tickets en+zh': recorded(ticketSet()) };
const half = (set: ReturnType<typeof recorded>, split: Case['split']) => set.filter((c) => c.split === split);
const chosen = pickThreshold(Object.values(sets).map((s) => half(s, 'dev')));
console.log(`threshold chosen on the dev halves: ${chosen}; in use (SUGGESTION_THRESHOLD): ${SUGGESTION_THRESHOLD}`);
for (const [name, set] of Object.entries(sets)) {
  for (const split of ['dev', 'holdout'] as const) console.log(line(`${name} ${split}`, measure(half(set, split), SUGGESTION_THRESHOLD)));
}
const tickets = sets['tickets en+zh'];
const written = measure(tickets.filter((c) => !c.relevant.length && !c.removed), SUGGESTION_THRESHOLD);
console.log(`tickets that no FAQ entry answers (as written): ${written.wrongOnUnanswerable} of ${written.unanswerable} got a suggestion`);
for (const lang of ['en', 'zh']) {
  console.log(line(`tickets ${lang} (both halves)`, measure(tickets.filter((c) => (lang === 'zh') === /\p{Script=Han}/u.test(c.query)), SUGGESTION_THRESHOLD)));
}
