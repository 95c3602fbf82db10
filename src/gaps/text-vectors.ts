// Texts as TF-IDF vectors over the search tokenizer's terms (English stems, Chinese characters and
// character pairs), compared by cosine similarity: similar questions share their rarer words, in
// either language, with no dictionary and no remote service.
import { tokenize } from '../search/tokenizer.ts';

/** A unit-length sparse vector: term ids (indexes into the terms) ascending, with their weights. */
export interface TermVector {
  ids: Int32Array;
  weights: Float64Array;
}

/**
 * Sublinear term frequency (1 + ln tf) times smoothed idf (ln((1 + N) / (1 + df)) + 1), normalised
 * to length 1. The idf comes from the texts themselves, so greetings and thanks that every mail
 * carries weigh little.
 */
export function tfidfVectors(texts: readonly string[]): { vectors: TermVector[]; terms: string[] } {
  const vocabulary = new Map<string, number>();
  const counts = texts.map((text) => {
    const tf = new Map<number, number>();
    for (const term of tokenize(text)) {
      let id = vocabulary.get(term);
      if (id === undefined) vocabulary.set(term, (id = vocabulary.size));
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return tf;
  });
  const docFreq = new Float64Array(vocabulary.size);
  for (const tf of counts) for (const id of tf.keys()) docFreq[id]++;
  const vectors = counts.map((tf) => {
    const ids = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
    const weights = Float64Array.from(ids, (id) => (1 + Math.log(tf.get(id)!)) * (Math.log((1 + texts.length) / (1 + docFreq[id])) + 1));
    const norm = Math.sqrt(weights.reduce((sum, w) => sum + w * w, 0)) || 1;
    for (let i = 0; i < weights.length; i++) weights[i] /= norm;
    return { ids, weights };
  });
  return { vectors, terms: [...vocabulary.keys()] };
}

/** Cosine similarity of two unit vectors: 0 (no term in common) to 1. */
export function cosine(a: TermVector, b: TermVector): number {
  let sum = 0;
  for (let i = 0, j = 0; i < a.ids.length && j < b.ids.length; ) {
    if (a.ids[i] === b.ids[j]) sum += a.weights[i++] * b.weights[j++];
    else if (a.ids[i] < b.ids[j]) i++;
    else j++;
  }
  return sum;
}
