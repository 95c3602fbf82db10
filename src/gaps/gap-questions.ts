// Which questions of a period the FAQ did not answer well: the first customer mail of each ticket,
// matched now against the FAQ as the acknowledgement matches it (matchAnswers, suggestions.threshold).
// A question is a gap unless an answer would be suggested for it, or its acknowledgement suggested
// an answer that is still published; a ticket the customer solved with a suggestion is no gap, and
// a ticket opened by "No, this did not answer my question" on an answer page always is one.
import type { App } from '../app.ts';
import { detectLanguage, isLanguage } from '../outbound/language.ts';
import type { FaqEntry, Locale, Stage } from '../search/faq-schema.ts';
import { faqIndexes, type FaqHitMeta } from '../search/faq-search.ts';
import { matchAnswers, ticketQuery } from '../search/suggest.ts';
import { questionsAskedSince, suggestedMatchesSince, unansweredFeedbackSince } from '../store/faq-gap-queries.ts';

export interface GapQuestion {
  number: number;
  subject: string;
  text: string;
  language: Locale;
  stage: Stage;
  /** The nearest FAQ answers, nearest first, none confident enough to suggest (or the one a "No" was about). */
  nearest: FaqHitMeta[];
}

export interface GapQuestions {
  /** Questions asked in the period. */
  asked: number;
  gaps: GapQuestion[];
}

/** How many of the nearest answers are kept to guess a group's category. */
const NEAREST = 3;

/** The FAQ's answer to one question: the nearest entries, and whether one would be suggested for it. */
export function faqJudge(entries: readonly FaqEntry[], threshold: number) {
  const index = faqIndexes(entries);
  return (query: string, language: Locale, stage?: Stage) => {
    const matches = matchAnswers(index(language), query, { threshold, prefer: stage && ((m) => m.stage === stage) });
    return { nearest: matches.slice(0, NEAREST).map((m) => m.meta), answered: matches.some((m) => m.suggested) };
  };
}

export async function gapQuestions(app: App, since: Date, entries: readonly FaqEntry[]): Promise<GapQuestions> {
  const judge = faqJudge(entries, app.config.suggestions.threshold);
  const published = new Set(entries.map((e) => `${e.locale}/${e.slug}`));
  const suggested = await suggestedMatchesSince(app.db, since);
  const unanswered = await unansweredFeedbackSince(app.db, since);
  const asked = await questionsAskedSince(app.db, since);
  const gaps: GapQuestion[] = [];
  for (const q of asked) {
    if (q.selfServed) continue;
    const query = ticketQuery(q.subject, q.text);
    const language = detectLanguage(query) ?? (isLanguage(q.customerLanguage) ? q.customerLanguage : app.config.language);
    const { nearest, answered } = judge(query, language, q.stage);
    const notAnswered = unanswered.get(q.ticketId);
    const wasSuggested = (suggested.get(q.ticketId) ?? []).some((m) => published.has(`${m.language}/${m.slug}`));
    if ((answered || wasSuggested) && notAnswered === undefined) continue;
    const about = entries.find((e) => e.locale === language && e.slug === notAnswered);
    gaps.push({
      number: q.number,
      subject: q.subject,
      text: q.text,
      language,
      stage: q.stage,
      nearest: about ? [about] : nearest,
    });
  }
  return { asked: asked.length, gaps };
}
