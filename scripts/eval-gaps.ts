// How well `postdesk faq gaps` finds the questions the FAQ does not answer and groups them:
// generated tickets (scripts/gap-tickets.ts: 8 topics × 6 askings in English and in Chinese, 10
// one-off questions and 4 answered questions per language), judged against the sample FAQ as the
// command judges them (an answer would be suggested at the default suggestions.threshold), then
// grouped as the command groups them.
// Gap detection: the share of unanswered questions found (recall) and of answered ones wrongly
// taken for gaps. Grouping: adjusted Rand index and purity of the groups against the known topics
// (English and Chinese askings of a topic are separate groups; each one-off is a group of one),
// over the questions taken for gaps. GAP_SIMILARITY was chosen on seeds 1–6; the held-out seeds
// 101–110 are the figures to quote.
// Run: npm run eval:gaps
import path from 'node:path';
import { suggestionsSchema } from '../src/config/schema.ts';
import { GAP_SIMILARITY, groupSimilar } from '../src/gaps/gap-clusters.ts';
import { faqJudge } from '../src/gaps/gap-questions.ts';
import { loadFaqDir } from '../src/search/faq-loader.ts';
import { ticketQuery } from '../src/search/suggest.ts';
import { adjustedRandIndex, purity } from './cluster-metrics.ts';
import { generateGapTickets, type GapLanguage } from './gap-tickets.ts';

const judge = faqJudge(loadFaqDir(path.join(import.meta.dirname, '../faq')), suggestionsSchema.parse({}).threshold);

interface Figures {
  recall: number;
  falseGaps: number;
  ari: number;
  purity: number;
  groups: number;
}

function evaluate(seed: number, language?: GapLanguage): Figures {
  const tickets = generateGapTickets({ seed, perTopic: 6, noise: 10, answered: 4 }).filter((t) => !language || t.language === language);
  const isAnswered = (t: (typeof tickets)[number]) => t.label.startsWith('answered/');
  const gaps = tickets.filter((t) => !judge(ticketQuery(t.subject, t.body), t.language).answered);
  const groups = groupSimilar(gaps.map((t) => ({ subject: t.subject, text: t.body, language: t.language }))).map((g) => g.map((i) => gaps[i].label));
  return {
    recall: gaps.filter((t) => !isAnswered(t)).length / tickets.filter((t) => !isAnswered(t)).length,
    falseGaps: gaps.filter(isAnswered).length / tickets.filter(isAnswered).length,
    ari: adjustedRandIndex(groups),
    purity: purity(groups),
    groups: groups.length,
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

console.log(`faq gaps on generated tickets (8 topics × 6 askings, 10 one-offs, 4 answered; per language); GAP_SIMILARITY ${GAP_SIMILARITY}`);
console.log('seeds       language  gap recall  answered taken for gaps  groups  ARI    (min)   purity (min)');
for (const [name, seeds] of [['1-6 (tuned)', range(1, 6)], ['101-110', range(101, 110)]] as const) {
  for (const language of [undefined, 'en', 'zh'] as const) {
    const runs = seeds.map((s) => evaluate(s, language));
    const col = (k: keyof Figures) => runs.map((r) => r[k]);
    console.log(
      `${name.padEnd(12)}${(language ?? 'both').padEnd(10)}${pct(mean(col('recall'))).padStart(10)}  ${pct(mean(col('falseGaps'))).padStart(23)}  ${mean(col('groups')).toFixed(1).padStart(6)}  ${mean(col('ari')).toFixed(3)}  (${Math.min(...col('ari')).toFixed(3)})  ${mean(col('purity')).toFixed(3)}  (${Math.min(...col('purity')).toFixed(3)})`,
    );
  }
}
