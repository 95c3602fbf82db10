// Which language's FAQ answers a query: Chinese characters mean the Chinese FAQ (the English one
// has none); anything else stays with the language the visitor is using.
import type { Locale } from './faq-enums.ts';

const HAN = /\p{Script=Han}/u;

export function queryLocale(query: string, fallback: Locale = 'en'): Locale {
  return HAN.test(query) ? 'zh' : fallback;
}
