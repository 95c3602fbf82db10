// Which parts of a result's text matched the query, for <mark> in the search results.
// Uses the tokenizer's own rules, so what is highlighted is exactly what was matched.
import { hanCharacters, normalizeText, tokenize, TEXT_RUN, wordTerms } from './tokenizer.ts';

export interface TextSegment {
  text: string;
  match: boolean;
}

export function highlightSegments(text: string, query: string): TextSegment[] {
  const terms = new Set(tokenize(query));
  const segments: TextSegment[] = [];
  const push = (part: string, match: boolean) => {
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += part;
    else if (part) segments.push({ text: part, match });
  };
  let cursor = 0;
  for (const run of text.matchAll(TEXT_RUN)) {
    push(text.slice(cursor, run.index), false);
    if (run[1]) {
      const chars = hanCharacters(run[1]);
      const key = chars.map((c) => normalizeText(c));
      chars.forEach((c, i) => {
        const inBigram = terms.has(key[i - 1] + key[i]) || terms.has(key[i] + key[i + 1]);
        push(c, terms.has(key[i]) || inBigram);
      });
    } else {
      push(run[2], wordTerms(normalizeText(run[2])).some((t) => terms.has(t)));
    }
    cursor = run.index + run[0].length;
  }
  push(text.slice(cursor), false);
  return segments;
}
