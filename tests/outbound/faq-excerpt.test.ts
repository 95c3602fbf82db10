// The acknowledgement's FAQ excerpt: the answer's beginning in two lines of at most 72 terminal
// columns, where a Chinese character takes two, cut with … when the answer goes on.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { faqExcerpt } from '../../src/outbound/faq-answers.ts';
import type { FaqEntry } from '../../src/search/faq-schema.ts';

const entry = (body: string) => ({ body, slug: 'x', locale: 'en', file: 'x.md' }) as unknown as FaqEntry;

describe('faqExcerpt', () => {
  it('lays out English in two lines of at most 72 columns, whole words, … at the cut', () => {
    const lines = faqExcerpt(entry('Open **Settings**, then [Account](/account), and choose *Reset password*. '.repeat(6))).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(72);
    expect(lines[0]).toBe('Open Settings, then Account, and choose *Reset password*. Open Settings,');
    expect(lines[1]).toMatch(/ …$/);
  });

  it('counts a Chinese character as two columns', () => {
    const lines = faqExcerpt(entry('请打开设置页面，选择账户，然后点击重置密码。'.repeat(8))).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(72);
    expect(stringWidth(lines[0])).toBeGreaterThanOrEqual(68);
    expect(lines[1]).toMatch(/…$/);
  });

  it('keeps a short answer whole, on one line', () => {
    expect(faqExcerpt(entry('Yes: ça marche, 一样.'))).toBe('Yes: ça marche, 一样.');
  });
});
