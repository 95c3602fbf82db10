// Recognises a complaint in a customer's mail: the configured words and phrases (config
// complaints.words), matched as priority keywords are (Latin-script words whole, Chinese anywhere),
// except where a negation just before takes the word back ("no complaints", "没有投诉"). The caller
// passes the visible text, so a complaint quoted from an earlier mail does not count.
import type { ComplaintsConfig } from '../config/schema.ts';
import { wordPattern, type WordPattern } from '../priority/keywords.ts';

const HAN = /\p{Script=Han}/u;
/** Enough text before a match to hold a negation and the words allowed between. */
const LOOK_BACK_CHARS = 80;

/** The configured words found, in the configuration's order; empty when the mail is no complaint. */
export type ComplaintMatcher = (text: string) => string[];

function negationPattern(negations: string[]): RegExp | undefined {
  if (!negations.length) return undefined;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  const latin = negations.filter((n) => !HAN.test(n)).map(escape);
  const han = negations.filter((n) => HAN.test(n)).map(escape);
  // Up to two words (Latin) or two characters (Chinese) may stand between: "no real complaints",
  // "not a complaint", "没有任何投诉". Punctuation may not: "did not arrive, unacceptable" counts.
  const parts = [
    ...(latin.length ? [`(?<![\\p{L}\\p{N}])(?:${latin.join('|')})(?:\\s+[\\p{L}\\p{N}'’-]+){0,2}\\s+$`] : []),
    ...(han.length ? [`(?:${han.join('|')})\\p{Script=Han}{0,2}$`] : []),
  ];
  return new RegExp(parts.join('|'), 'iu');
}

export function complaintMatcher(config: ComplaintsConfig): ComplaintMatcher {
  const negated = negationPattern(config.negations);
  const words = config.words.map((word) => ({ word, pattern: wordPattern(word) }));
  const counts = (pattern: WordPattern, text: string) => {
    for (const at of pattern.indexes(text)) {
      if (!negated?.test(text.slice(Math.max(0, at - LOOK_BACK_CHARS), at))) return true;
    }
    return false;
  };
  return (text) => words.filter(({ pattern }) => counts(pattern, text)).map(({ word }) => word);
}
