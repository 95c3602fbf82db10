// One tokenizer for indexing and for queries, in the browser and in Node.
// English: words, stop words dropped, Porter-stemmed. Chinese: every character plus every pair of
// neighbouring characters (bigrams), so 退款 matches 退款 and not only 退 or 款; no dictionary needed.
// Mixed text is split into runs of each script first, so "App 无法登录" gives both kinds.
import { porterStem } from './porter-stemmer.ts';
import { CHINESE_STOP_CHARACTERS, ENGLISH_STOPWORDS } from './stopwords.ts';

/** A run of Han characters, or a run of letters/digits (apostrophes inside words are dropped). */
const RUN = /(\p{Script=Han}+)|([\p{L}\p{N}]+(?:['’][\p{L}]+)*)/gu;
const APOSTROPHE = /['’]/g;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalizeText(text).matchAll(RUN)) {
    if (match[1]) pushChineseTokens(match[1], tokens);
    else pushWordToken(match[2], tokens);
  }
  return tokens;
}

// Stemming is the costly part of tokenizing; a vocabulary is small, so remember each word's stem.
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string | null>();

/** The index term for an English word (null for a stop word). */
export function wordTerm(word: string): string | null {
  let term = stemCache.get(word);
  if (term === undefined) {
    const w = word.replace(APOSTROPHE, '');
    term = ENGLISH_STOPWORDS.has(w) ? null : porterStem(w);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, term);
  }
  return term;
}

function pushWordToken(word: string, tokens: string[]): void {
  const term = wordTerm(word);
  if (term) tokens.push(term);
}

function pushChineseTokens(run: string, tokens: string[]): void {
  const chars = Array.from(run);
  for (let i = 0; i < chars.length; i++) {
    if (!CHINESE_STOP_CHARACTERS.has(chars[i])) tokens.push(chars[i]);
    if (i + 1 < chars.length) tokens.push(chars[i] + chars[i + 1]);
  }
}
