// Which answers to suggest for a question, and how sure the search is of each.
// A BM25 score means nothing on its own: it grows with the length of the query. So a hit's
// confidence is how far its score stands above the next hit's, as a share of the query's ceiling
// (the score of an answer that matched every known query term at full weight): 0..1 whatever the
// query. An answer that stands out is likely the answer; answers close together mean the search
// is guessing, and nothing is suggested. The threshold is calibrated by scripts/eval-suggest.ts.
import type { SearchIndex } from './search-index.ts';

/**
 * Chosen by `npm run eval:suggest` on the dev halves of StackFAQ and of scripts/eval-suggest-set.json
 * (the highest recall with precision of the suggested answers >= 0.9); see README "Suggested answers".
 */
export const SUGGESTION_THRESHOLD = 0.185;
export const MAX_SUGGESTIONS = 3;
/** How many matches are kept per question (suggested or not), for `faq stats` and `faq gaps`. */
export const MATCHES_KEPT = 5;
/** Answers the caller does not prefer (another customer stage) rank as if they scored this much less. */
const NOT_PREFERRED_WEIGHT = 0.9;

export interface AnswerMatch<M> {
  meta: M;
  /** 1 = best. */
  rank: number;
  confidence: number;
  suggested: boolean;
}

export interface MatchOptions<M> {
  threshold?: number;
  limit?: number;
  prefer?: (meta: M) => boolean;
}

export function matchAnswers<M>(index: SearchIndex<M>, query: string, options: MatchOptions<M> = {}): AnswerMatch<M>[] {
  const { threshold = SUGGESTION_THRESHOLD, limit = MATCHES_KEPT, prefer } = options;
  // More than kept: preferring a stage may lift a lower hit, and the last kept one needs its next.
  const { hits, ceiling } = index.rank(query, { limit: limit * 2 + 1 });
  if (!ceiling) return [];
  const weighted = hits
    .map((h) => ({ meta: h.meta, score: !prefer || prefer(h.meta) ? h.score : h.score * NOT_PREFERRED_WEIGHT }))
    .sort((a, b) => b.score - a.score);
  let confidence = 1;
  return weighted.slice(0, limit).map((h, i) => {
    // Never more sure of an answer than of a better-ranked one: so the suggested answers are a
    // leading run, and a weak answer above a confident one keeps the confident one out.
    confidence = Math.min(confidence, (h.score - (weighted[i + 1]?.score ?? 0)) / ceiling);
    const suggested = i < MAX_SUGGESTIONS && confidence >= threshold;
    return { meta: h.meta, rank: i + 1, confidence: Math.round(confidence * 1000) / 1000, suggested };
  });
}

/** The beginning of a long mail says what it is about; the rest would only dilute the confidence. */
const QUERY_CHARS = 2000;

/** What is searched for a ticket: its subject and the visible text of its first mail. */
export function ticketQuery(subject: string, text: string): string {
  return `${subject}\n${text}`.slice(0, QUERY_CHARS);
}
