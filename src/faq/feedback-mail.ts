// The help center's "Did this answer your question?" mail: the subject its Yes / No links prefill
// and Postdesk reads back, and the prompt a No's body carries. Shared by the site and the inbound filter.
import type { Locale } from '../search/faq-schema.ts';

export interface FeedbackSubject {
  slug: string;
  helpful: boolean;
}

/** `[faq:reset-password] yes`: machine-readable, the same in every language. */
export function feedbackSubject(slug: string, helpful: boolean): string {
  return `[faq:${slug}] ${helpful ? 'yes' : 'no'}`;
}

const SUBJECT = /^\s*\[faq:([a-z0-9]+(?:-[a-z0-9]+)*)\]\s+(yes|no)\s*$/i;

export function parseFeedbackSubject(subject: string): FeedbackSubject | null {
  const m = SUBJECT.exec(subject);
  return m ? { slug: m[1].toLowerCase(), helpful: m[2].toLowerCase() === 'yes' } : null;
}

/** The body a No link prefills: whoever writes below it gets an answer (a ticket). */
export const NO_PROMPT: Record<Locale, string> = {
  en: 'What were you looking for? Write it below and we will answer you (or just send this mail).',
  zh: '你想找的是什么？写在下面，我们会回复你（也可以直接发送）。',
};

/** Words are matched with any whitespace between them: mail clients rewrap long lines. */
const PROMPTS = Object.values(NO_PROMPT).map((p) => new RegExp(p.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'g'));

/** What the sender wrote themselves: the mail's visible text without the prefilled prompt. */
export function feedbackComment(visibleText: string): string {
  return PROMPTS.reduce((text, prompt) => text.replace(prompt, ''), visibleText).trim();
}
