// Finds the configured urgent/angry words in a mail. Latin-script words match whole words only
// ("lawyer" but not "lawyers'" inside another word); Chinese has no spaces, so it matches anywhere.
import type { PriorityConfig } from '../config/schema.ts';
import type { Priority } from '../store/schema.ts';

export interface KeywordHit {
  priority: Priority;
  word: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function wordPattern(word: string): RegExp {
  const body = escape(word).replace(/\s+/g, '\\s+');
  // Word boundaries that also work for letters outside ASCII (é, ü); none around CJK characters.
  const cjk = /\p{Script=Han}/u.test(word);
  return new RegExp(cjk ? body : `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
}

export type KeywordMatcher = (text: string) => KeywordHit[];

export function keywordMatcher(keywords: PriorityConfig['keywords']): KeywordMatcher {
  const patterns = keywords.flatMap(({ priority, words }) => words.map((word) => ({ priority, word, pattern: wordPattern(word) })));
  return (text) => patterns.filter((p) => p.pattern.test(text)).map(({ priority, word }) => ({ priority, word }));
}
