// Makes the HTML body safe to show (sanitize-html: an allow-list, only absolute URLs, remote images
// not loaded until asked) and derives the plain text when the mail has only HTML (html-to-text). Of a
// huge body only the head is kept (see ../body-head.ts).
import sanitizeHtml from 'sanitize-html';
import { compile } from 'html-to-text';
import { cutNotice, htmlHead, isBlank, textHead } from '../body-head.ts';
import { required } from '../filter-failures.ts';
import type { DecodeFilter } from '../decode/decoded-mail.ts';

const LINK_REL = 'noopener noreferrer nofollow';

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'del', 'ins', 's', 'u'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'data-src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    font: ['color'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'data-src'],
  allowProtocolRelative: false,
  // The transforms keep only absolute URLs (see absoluteUrl); a link or an image left without one goes.
  transformTags: {
    a: (tagName, { href, title }) => ({ tagName, attribs: defined({ href: absoluteUrl(href, ['http', 'https', 'mailto']), title, rel: LINK_REL, target: '_blank' }) }),
    img: (tagName, { src, alt, title, width, height }) => ({ tagName, attribs: defined({ ...imageSource(src), alt, title, width, height }) }),
  },
  exclusiveFilter: (frame) => {
    if (frame.tag === 'a' && !frame.attribs.href) return 'excludeTag';
    return frame.tag === 'img' && !frame.attribs.src && !frame.attribs['data-src'];
  },
};

/**
 * Inline parts (`cid:`) are shown; a remote image only as `data-src`, so that nothing is fetched (a
 * tracking pixel tells the sender the mail was read) until the viewer moves it to `src` on request.
 */
function imageSource(src: string | undefined): { src?: string; 'data-src'?: string } {
  const url = absoluteUrl(src, ['cid', 'http', 'https']);
  if (!url) return {};
  return /^cid:/i.test(url) ? { src: url } : { 'data-src': url };
}

/**
 * The URL when it names its scheme, one of these, and cannot resolve against the viewer's own site.
 * Relative URLs are dropped (`/api/tickets/1000/close` would be a request to whatever site shows the
 * HTML), and so are `https:/path` and `https:path`, which browsers resolve against a site of the same
 * scheme. Whitespace around and tabs or line breaks inside are removed, as browsers do.
 */
function absoluteUrl(value: string | undefined, schemes: string[]): string | undefined {
  const url = value?.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const scheme = url?.match(/^([a-z][a-z0-9+.-]*):/i)?.[1].toLowerCase();
  if (!url || !scheme || !schemes.includes(scheme)) return undefined;
  if ((scheme === 'http' || scheme === 'https') && !/^https?:\/\/[^/\\]/i.test(url)) return undefined;
  return url;
}

/** The attributes that have a value. */
function defined(attribs: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(attribs).filter((e): e is [string, string] => e[1] !== undefined));
}

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
