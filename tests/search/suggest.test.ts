// The confidence of suggested answers: the calibrated threshold keeps its precision on the labelled
// StackFAQ set (held-out half) and suggests nothing for the written tickets no FAQ entry answers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFaqDir } from '../../src/search/faq-loader.ts';
import { buildFaqIndex } from '../../src/search/faq-search.ts';
import { SearchIndex } from '../../src/search/search-index.ts';
import { matchAnswers, SUGGESTION_THRESHOLD, ticketQuery } from '../../src/search/suggest.ts';
import { corpusPath, describeWithSharedCorpora, REPO_ROOT } from '../helpers/shared-corpora.ts';

describe('suggestions on the sample FAQ', () => {
  const entries = loadFaqDir(path.join(REPO_ROOT, 'faq'));
  const index = { en: buildFaqIndex(entries, 'en'), zh: buildFaqIndex(entries, 'zh') };
  const set = JSON.parse(readFileSync(path.join(REPO_ROOT, 'scripts/eval-suggest-set.json'), 'utf8')) as {
    tickets: { language: 'en' | 'zh'; subject: string; text: string; relevant: string[] }[];
  };
  const suggested = (t: (typeof set.tickets)[number]) =>
    matchAnswers(index[t.language], ticketQuery(t.subject, t.text)).filter((m) => m.suggested).map((m) => m.meta.slug);

  it('suggests nothing for a ticket no entry answers', () => {
    const unanswerable = set.tickets.filter((t) => !t.relevant.length);
    expect(unanswerable.length).toBeGreaterThan(10);
    expect(unanswerable.filter((t) => suggested(t).length).map((t) => t.subject)).toEqual([]);
  });

  it('suggests only right answers to most tickets an entry answers, in both languages', () => {
    for (const language of ['en', 'zh'] as const) {
      const answerable = set.tickets.filter((t) => t.relevant.length && t.language === language);
      const right = answerable.filter((t) => {
        const s = suggested(t);
        return s.length > 0 && s.every((slug) => t.relevant.includes(slug));
      });
      expect(right.length / answerable.length).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('gives a score that does not grow with the length of the question', () => {
    const short = matchAnswers(index.en, 'forgot password')[0];
    const long = matchAnswers(index.en, ticketQuery('Forgot password', 'Hello, I bought the purifier last month and it works well, but I forgot my password and cannot sign in to the app any more.'))[0];
    expect(short.meta.slug).toBe('reset-password');
    expect(long.meta.slug).toBe('reset-password');
    for (const m of [short, long]) expect(m.confidence).toBeGreaterThan(0);
    for (const m of [short, long]) expect(m.confidence).toBeLessThanOrEqual(1);
  });

  it('prefers the customer\'s stage among close answers', () => {
    const query = 'filter plan';
    const plain = matchAnswers(index.en, query).map((m) => m.meta.slug);
    const existing = matchAnswers(index.en, query, { prefer: (m) => m.stage === 'existing' }).map((m) => m.meta.slug);
    expect(plain[0]).toBe('filter-plan'); // prospect
    expect(existing.indexOf('cancel-filter-plan')).toBeLessThan(plain.indexOf('cancel-filter-plan'));
  });
});

describeWithSharedCorpora('suggestions on StackFAQ', () => {
  it('keeps precision >= 0.9 on the held-out half at the calibrated threshold, also where the right answer is missing', () => {
    const data = JSON.parse(readFileSync(corpusPath('faq-search', 'stackfaq.json'), 'utf8')) as {
      faqs: { id: string; question: string; answers: string[] }[];
      queries: { qid: string; text: string; relevant: string[] }[];
    };
    const docs = data.faqs.map((f) => ({ title: f.question, body: f.answers.join('\n'), meta: { id: f.id } }));
    const full = SearchIndex.build(docs);
    const heldOut = data.queries.filter((q) => Number(q.qid.split('_q')[1]) % 2 === 1);
    let right = 0;
    let all = 0;
    for (const faq of data.faqs) {
      const without = SearchIndex.build(docs.filter((d) => d.meta.id !== faq.id));
      for (const q of heldOut.filter((h) => h.relevant[0] === faq.id)) {
        for (const index of [full, without]) {
          const s = matchAnswers(index, q.text, { threshold: SUGGESTION_THRESHOLD }).filter((m) => m.suggested);
          all += s.length;
          right += s.filter((m) => q.relevant.includes(m.meta.id)).length;
        }
      }
    }
    expect(all).toBeGreaterThan(50);
    expect(right / all).toBeGreaterThanOrEqual(0.9);
  });
});
