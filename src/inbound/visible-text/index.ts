// The visible part of a reply: without quoted history and without the sender's mail signature.
// HTML mail is first cut at the quote containers mail clients mark (Gmail, Outlook, Apple Mail,
// Thunderbird, Yahoo), then the plain text goes through email-reply-parser with extra rules for
// quote headers it does not know (see ./quote-headers.ts). Measured by `npm run eval:quotes`.
import EmailReplyParser from 'email-reply-parser';
import { htmlWithoutQuotes } from './html.ts';
import { cutAtQuoteHeader } from './quote-headers.ts';
import { withLongLinesShielded } from './long-lines.ts';

export function extractVisibleText(text: string, html?: string | null): string {
  const source = html && html.trim() ? htmlWithoutQuotes(html) : text;
  if (!source.trim()) return '';
  const cut = cutAtQuoteHeader(source.replace(/\r\n?/g, '\n'));
  return withLongLinesShielded(cut, (shielded) => new EmailReplyParser().parseReply(shielded)).trim();
}
