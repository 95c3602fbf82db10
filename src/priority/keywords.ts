// Finds the configured urgent/angry words in a mail. Latin-script words match whole words only
// ("lawyer" but not "lawyers'" inside another word); Chinese has no spaces, so it matches anywhere.
import type { PriorityConfig } from '../config/schema.ts';
import type { Priority } from '../store/schema.ts';

export interface KeywordHit {
  priority: Priority;
  word: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A letter or digit of any script just before or after a match: then it is inside another word. */
const LETTER_BEFORE = /[\p{L}\p{N}]$/u;
const LETTER_AFTER = /^[\p{L}\p{N}]/u;

/** A configured word as it is found in text: Latin-script words whole, Chinese anywhere; any case. */
export interface WordPattern {
  /** Where the word occurs, from the start of the text. */
  indexes(text: string): Generator<number>;
  test(text: string): boolean;
}

/**
 * The boundaries are checked here, not by lookarounds in the pattern: a `(?<![\p{L}\p{N}])` per word
 * made V8 build the Unicode letter class, case-folded, for every word again, 0.5 ms each, 14 ms for
 * thirty words in every `ingest -` process (bench:deliver); two classes shared by all cost 0.3 ms.
 */
export function wordPattern(word: string): WordPattern {
  const pattern = new RegExp(escape(word).replace(/\s+/g, '\\s+'), 'giu');
  // Word boundaries that also work for letters outside ASCII (é, ü); none around CJK characters.
  const whole = !/\p{Script=Han}/u.test(word);
  function* indexes(text: string): Generator<number> {
    // The position is kept here, not in the shared pattern, so two scans never disturb each other.
    for (let from = 0; ; ) {
      pattern.lastIndex = from;
      const match = pattern.exec(text);
      if (!match) return;
      const end = match.index + match[0].length;
      if (whole && (LETTER_BEFORE.test(text.slice(Math.max(0, match.index - 2), match.index)) || LETTER_AFTER.test(text.slice(end, end + 2)))) {
        from = match.index + 1; // a touching candidate must not hide one starting inside it
        continue;
      }
      from = end;
      yield match.index;
    }
  }
  return { indexes, test: (text) => !indexes(text).next().done };
}

export type KeywordMatcher = (text: string) => KeywordHit[];

export function keywordMatcher(keywords: PriorityConfig['keywords']): KeywordMatcher {
  const patterns = keywords.flatMap(({ priority, words }) => words.map((word) => ({ priority, word, pattern: wordPattern(word) })));
  return (text) => patterns.filter((p) => p.pattern.test(text)).map(({ priority, word }) => ({ priority, word }));
}
