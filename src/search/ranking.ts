// BM25F ranking, stored inside FlexSearch: at index time each (term, document) pair gets the
// BM25F term weight, quantised into one of FlexSearch's resolution slots (slot 0 = strongest).
// At query time the slot is turned back into a weight and multiplied by the term's idf.

export interface RankingParams {
  /** How fast repeated occurrences stop adding weight. */
  k1: number;
  /** Weight of the question (title) over the answer (body). */
  titleBoost: number;
  /** Length normalisation per field (0 = none, 1 = full). */
  titleB: number;
  bodyB: number;
  /** Number of FlexSearch slots a weight is quantised into. */
  resolution: number;
}

// k1 and titleBoost were chosen on the "dev" half of the StackFAQ queries only (even query numbers;
// a coarse grid: k1 0.8-3, titleBoost 1-8); the other half was looked at once, afterwards.
// The rest are the usual BM25 defaults. See scripts/eval-search.ts.
export const DEFAULT_RANKING: RankingParams = { k1: 2, titleBoost: 6, titleB: 0.5, bodyB: 0.75, resolution: 32 };

export interface FieldLengths {
  title: number;
  body: number;
}

/** Term frequencies of one document, per field. */
export function countTerms(title: string[], body: string[]): Map<string, FieldLengths> {
  const counts = new Map<string, FieldLengths>();
  const bump = (term: string, field: keyof FieldLengths) => {
    const c = counts.get(term) ?? { title: 0, body: 0 };
    c[field]++;
    counts.set(term, c);
  };
  for (const t of title) bump(t, 'title');
  for (const t of body) bump(t, 'body');
  return counts;
}

/** BM25F saturation of one term in one document, in [0, 1). */
export function termWeight(tf: FieldLengths, len: FieldLengths, avg: FieldLengths, p: RankingParams): number {
  const norm = (b: number, l: number, a: number) => 1 - b + (b * l) / (a || 1);
  const pseudoTf = (p.titleBoost * tf.title) / norm(p.titleB, len.title, avg.title) + tf.body / norm(p.bodyB, len.body, avg.body);
  return pseudoTf / (p.k1 + pseudoTf);
}

export function weightToSlot(weight: number, resolution: number): number {
  return Math.min(resolution - 1, Math.floor((1 - weight) * resolution));
}

/** The middle of the slot's weight range: never zero, so every match counts. */
export function slotToWeight(slot: number, resolution: number): number {
  return 1 - (slot + 0.5) / resolution;
}

/** Robertson–Spärck Jones idf, never negative. */
export function idf(docFreq: number, docCount: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}
