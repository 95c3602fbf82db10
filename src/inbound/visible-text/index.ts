// The visible part of a reply: without quoted history and without the sender's mail signature.
// HTML mail is first cut at the quote containers mail clients mark (Gmail, Outlook, Apple Mail,
// Thunderbird, Yahoo); the text then goes through talon's line-marker rules (./quotation.ts) and the
// signature rules (./signature.ts). Measured on the shared reply corpus by `npm run eval:quotes`.
import { htmlHead, isBlank } from '../body-head.ts';
import { htmlToText, htmlWithoutQuotes } from './html.ts';
import { withoutQuotation } from './quotation.ts';
import { withoutSignature } from './signature.ts';

/** Rule lines (an HTML <hr>, Outlook's underscores) left dangling at the end once the quote is gone. */
const TRAILING_RULES = /(\n\s*[-_=*]{3,}\s*)+$/;

export function extractVisibleText(text: string, html?: string | null): string {
  const source = html && !isBlank(html) ? htmlSource(html) : text;
  // Trailing spaces are invisible, and format=flowed leaves them at every soft line break.
  const lines = source.replace(/\r\n?/g, '\n').replace(/[^\S\n]+$/gm, '');
  return withoutSignature(withoutQuotation(lines)).trimEnd().replace(TRAILING_RULES, '').trim();
}

/**
 * The HTML's text without its quote containers; all of it when that leaves nothing (a forward).
 * Of a huge body, its head only: the reply is at the top.
 */
function htmlSource(html: string): string {
  const head = htmlHead(html);
  const cut = htmlWithoutQuotes(head);
  return cut.trim() ? cut : htmlToText(head);
}
