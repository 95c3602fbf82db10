// One tokenizer for indexing and for queries, in the browser and in Node.
// English: words, stop words dropped, Porter-stemmed. Chinese: every character plus every pair of
// neighbouring characters (bigrams), so 退款 matches 退款 and not only 退 or 款; no dictionary needed.
// Mixed text is split into runs of each script first, so "App 无法登录" gives both kinds.
import { stemmer } from 'stemmer';
import { CHINESE_STOP_CHARACTERS, ENGLISH_STOPWORDS } from './stopwords.ts';

/**
 * Group 1: a run of Han characters; group 2: a word of other letters/digits (inner ' and - allowed).
 * Han characters are letters too, so words stop before them: "App无法" is "app" + "无法".
 */
const WORD_CHAR = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{N}])`;
export const TEXT_RUN = new RegExp(String.raw`(\p{Script=Han}+)|(${WORD_CHAR}+(?:['’-]${WORD_CHAR}+)*)`, 'gu');
const APOSTROPHE = /['’]/g;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalizeText(text).matchAll(TEXT_RUN)) {
    if (match[1]) pushChineseTokens(match[1], tokens);
    else for (const term of wordTerms(match[2])) tokens.push(term);
  }
  return tokens;
}

// Stemming is the costly part of tokenizing; a vocabulary is small, so remember each word's terms.
const TERMS_CACHE_LIMIT = 50_000;
const termsCache = new Map<string, string[]>();

/** Index terms of a word; a hyphenated word also counts as its joined form ("wi-fi" -> wi, fi, wifi). */
export function wordTerms(word: string): string[] {
  let terms = termsCache.get(word);
  if (!terms) {
    const parts = word.replace(APOSTROPHE, '').split('-');
    const words = parts.length > 1 ? [...parts, parts.join('')] : parts;
    terms = words.filter((w) => !ENGLISH_STOPWORDS.has(w)).map((w) => stemmer(w));
    if (termsCache.size >= TERMS_CACHE_LIMIT) termsCache.clear();
    termsCache.set(word, terms);
  }
  return terms;
}

/** The characters of a Han run as the index sees them (one code point each). */
export function hanCharacters(run: string): string[] {
  return Array.from(run);
}

function pushChineseTokens(run: string, tokens: string[]): void {
  const chars = hanCharacters(run);
  for (let i = 0; i < chars.length; i++) {
    if (!CHINESE_STOP_CHARACTERS.has(chars[i])) tokens.push(chars[i]);
    if (i + 1 < chars.length) tokens.push(chars[i] + chars[i + 1]);
  }
}
