// HTML replies: the quoted history sits in containers the mail clients mark; drop them before
// converting to text, so that no quote survives as unmarked plain lines.
import { convert } from 'html-to-text';

/** Elements that hold quoted history or forwarded headers in the common clients. */
const QUOTE_SELECTORS = [
  'blockquote', // Apple Mail, Thunderbird (type=cite), Gmail (inside .gmail_quote) and most others
  'div.gmail_quote',
  'div.gmail_extra',
  'div.moz-cite-prefix', // Thunderbird's "On ... wrote:" line
  'div#appendonsend', // Outlook (web, new Outlook): everything after it is the quoted mail
  'div#divRplyFwdMsg',
  'div#mail-editor-reference-message-container', // Outlook for Mac
  'div.yahoo_quoted',
  'div.OutlookMessageHeader',
  'div#Zm-_Id_-Sgn', // Zimbra signature
  'div.gmail_signature',
  'div.moz-signature',
];

export function htmlWithoutQuotes(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      ...QUOTE_SELECTORS.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    ],
  });
}
