// Makes the HTML body safe to show (sanitize-html) and derives the plain text when the mail
// has only HTML (html-to-text).
import sanitizeHtml from 'sanitize-html';
import { compile } from 'html-to-text';
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
    const html = typeof parsed.html === 'string' && parsed.html.trim() ? sanitizeMailHtml(parsed.html) : null;
    ctx.html = html;
    const text = parsed.text?.trim() ? parsed.text : html ? htmlToPlainText(html) : '';
    ctx.text = text.replace(/\r\n/g, '\n');
  },
};
