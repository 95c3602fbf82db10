// URLs in sanitized mail HTML: wherever the HTML is shown or relayed, it must not make the viewer
// call our own paths (a relative URL resolves against the viewer's site: CSRF), load a `data:` document,
// or fetch a remote image before the viewer chooses to (tracking pixels).
import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from '../../src/inbound/filters/sanitize.ts';

/** The value of every URL-carrying attribute left in the HTML. */
function urls(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|data-src|srcset|background|action|formaction|poster|style)="([^"]*)"/g)].map((m) => m[1]);
}

describe('URLs in sanitized HTML', () => {
  it('removes images with relative sources, and relative links keep only their text', () => {
    const clean = sanitizeMailHtml('<p>Hi<img src="/api/tickets/1000/close"><img src="close?ticket=1000" alt="x"><a href="/api/tickets/1000/close">close</a> <a href="../admin">admin</a></p>');
    expect(clean).toBe('<p>Hiclose admin</p>');
  });

  it('removes tricks that a browser resolves against its own site', () => {
    const tricks = [
      ' /api/tickets/1000/close',
      '&#47;api/tickets/1000/close',
      '\t/api/tickets/1000/close',
      'https:api/tickets/1000/close',
      'https:/api/tickets/1000/close',
      'http:close',
      '//tracker.example/p.gif',
      '\\\\tracker.example/p.gif',
    ];
    for (const url of tricks) {
      const clean = sanitizeMailHtml(`<img src="${url}"><a href="${url}">x</a>`);
      expect(urls(clean), url).toEqual([]);
    }
  });

  it('removes data: URIs and javascript: links', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const clean = sanitizeMailHtml(
      `<img src="${png}"><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">open</a><a href="javascript:alert(1)">x</a><a href="JaVaScRiPt&colon;alert(1)">y</a>`,
    );
    expect(clean).not.toMatch(/data:|javascript/i);
    expect(urls(clean)).toEqual([]);
    expect(clean).toContain('open');
  });

  it('drops URL attributes the allow-list has no use for (srcset, background, style)', () => {
    const clean = sanitizeMailHtml('<table background="/bg.png"><tr><td background="/bg.png" style="background:url(/api/x)">a</td></tr></table><img src="cid:logo" srcset="/api/x 2x" data-src="/api/x"><div style="background-image:url(https://t.example/p)">b</div>');
    expect(urls(clean)).toEqual(['cid:logo']);
  });

  it('keeps inline cid: images, and keeps remote images only as data-src, for the viewer to load on request', () => {
    const clean = sanitizeMailHtml('<img src="cid:logo@customer.example" alt="Logo"><img src="https://tracker.example/p.gif?u=ann" width="1" height="1"><img src="HTTP://images.example/a.png">');
    const images = [...clean.matchAll(/<img[^>]*>/g)].map((m) => m[0]);
    expect(images).toHaveLength(3);
    expect(images[0]).toMatch(/^<img src="cid:logo@customer\.example" alt="Logo" ?\/?>$/);
    expect(images[1]).toMatch(/ data-src="https:\/\/tracker\.example\/p\.gif\?u=ann"/);
    expect(images[1]).toMatch(/ width="1" height="1"/);
    expect(images[2]).toMatch(/ data-src="HTTP:\/\/images\.example\/a\.png"/);
    for (const image of images.slice(1)) expect(image).not.toMatch(/ src=/);
  });

  it('gives every link rel="noopener noreferrer nofollow", whatever rel it had', () => {
    const clean = sanitizeMailHtml('<a href="https://ok.example/page" rel="opener" target="_self">ok</a><a href="mailto:ann@customer.example">mail</a>');
    expect(clean).toBe(
      '<a href="https://ok.example/page" rel="noopener noreferrer nofollow" target="_blank">ok</a>' +
        '<a href="mailto:ann@customer.example" rel="noopener noreferrer nofollow" target="_blank">mail</a>',
    );
  });
});
