// Makes the HTML body safe to show (sanitize-html) and derives the plain text when the mail
// has only HTML (html-to-text). Of a huge body only the head is kept (see ../body-head.ts).
import sanitizeHtml from 'sanitize-html';
import { compile } from 'html-to-text';
import { cutNotice, htmlHead, isBlank, textHead } from '../body-head.ts';
import { required, type DecodeFilter } from '../context.ts';

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'del', 'ins', 's', 'u'],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    font: ['color'],
    '*': ['dir', 'lang'],
  },
  // No remote images (tracking pixels); inline cid: parts are kept, mapped to attachments.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, ALLOWED);
}

// Compiled once, on first use (few mails lack a text part): html-to-text's convert() would compile
// the options again for every mail.
let plainTextOf: ((html: string) => string) | undefined;

export function htmlToPlainText(html: string): string {
  plainTextOf ??= compile({
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
  return plainTextOf(html).trim();
}

export const sanitizeMailBody: DecodeFilter = {
  name: 'sanitize',
  run(ctx) {
    const parsed = required(ctx.parsed, 'parsed');
    const sha256 = required(ctx.rawLocation, 'rawLocation').sha256;
    const html = typeof parsed.html === 'string' && !isBlank(parsed.html) ? shownHtml(parsed.html, sha256) : null;
    ctx.html = html;
    // Derived from the shown HTML, the text of a cut body ends with the same notice.
    const text = parsed.text && !isBlank(parsed.text) ? keptText(parsed.text, sha256) : html ? htmlToPlainText(html) : '';
    ctx.text = text.replace(/\r\n/g, '\n');
  },
};

/** The sanitized HTML; of a huge body its head, and a last paragraph saying where the rest is. */
function shownHtml(html: string, sha256: string): string {
  const head = htmlHead(html);
  const safe = sanitizeMailHtml(head);
  return head === html ? safe : `${safe}<p><em>${cutNotice(html.length, sha256)}</em></p>`;
}

function keptText(text: string, sha256: string): string {
  const head = textHead(text);
  return head === text ? text : `${head}\n\n${cutNotice(text.length, sha256)}`;
}
