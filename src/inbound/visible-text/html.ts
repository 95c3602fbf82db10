// HTML replies: the quoted history sits in containers the mail clients mark; drop them before
// converting to text, so that no quote survives as unmarked plain lines.
import { compile } from 'html-to-text';

/** Elements that hold quoted history or forwarded headers in the common clients. */
const QUOTE_SELECTORS = [
  'blockquote', // Apple Mail, Thunderbird (type=cite), Gmail (inside .gmail_quote) and most others
  'div.gmail_quote',
  'div.gmail_extra',
  'div.moz-cite-prefix', // Thunderbird's "On ... wrote:" line
  'div.yahoo_quoted',
  'div.OutlookMessageHeader',
  'div#Zm-_Id_-Sgn', // Zimbra signature
  'div.gmail_signature',
  'div.moz-signature',
];

const TEXT_SELECTORS = [
  { selector: 'a', options: { ignoreHref: true } },
  { selector: 'img', format: 'skip' },
  { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
];

/** Gmail's quote is the div.gmail_quote around it; a bare blockquote.gmail_quote is the writer's own. */
const KEPT_BLOCKQUOTE = { selector: 'blockquote.gmail_quote', format: 'block' };

/** Outlook (web and desktop) puts the quoted mail after a marker element, as its siblings: cut there. */
const OUTLOOK_QUOTE_START = /<(div|hr)\b[^>]*\bid=["']?(appendonsend|divRplyFwdMsg|mail-editor-reference-message-container)\b|<hr\b[^>]*>\s*<div\b[^>]*\bid=["']?divRplyFwdMsg\b/i;

// Compiled once, on first use (a process that ingests one mail may need only one of them):
// html-to-text's convert() would compile the options again for every mail.
let textWithoutQuotes: ((html: string) => string) | undefined;
let wholeText: ((html: string) => string) | undefined;

export function htmlWithoutQuotes(html: string): string {
  textWithoutQuotes ??= compile({ wordwrap: false, selectors: [...QUOTE_SELECTORS.map((selector) => ({ selector, format: 'skip' })), KEPT_BLOCKQUOTE, ...TEXT_SELECTORS] });
  const outlook = OUTLOOK_QUOTE_START.exec(html);
  return textWithoutQuotes(outlook ? html.slice(0, outlook.index) : html);
}

export function htmlToText(html: string): string {
  wholeText ??= compile({ wordwrap: false, selectors: TEXT_SELECTORS });
  return wholeText(html);
}
