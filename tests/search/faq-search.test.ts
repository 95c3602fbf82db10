import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFaqDir } from '../../src/search/faq-loader.ts';
import { buildFaqIndex, searchFaq } from '../../src/search/faq-search.ts';
import { highlightSegments } from '../../src/search/highlight.ts';

const entries = loadFaqDir(path.resolve(import.meta.dirname, '../../faq'));
const en = buildFaqIndex(entries, 'en');
const zh = buildFaqIndex(entries, 'zh');

describe('searching the sample FAQ', () => {
  it.each([
    ['forgot my password', 'reset-password'],
    ['where is my parcel', 'track-order'],
    ['wifi connection keeps failing', 'wifi-setup-fails'],
    ['how often should the HEPA filter be changed', 'replace-filter'],
  ])('en: %s -> %s', (query, slug) => expect(searchFaq(en, query)[0]?.slug).toBe(slug));

  it.each([
    ['忘记密码', 'reset-password'],
    ['快递到哪了', 'track-order'],
    ['App 连不上 wifi', 'wifi-setup-fails'],
    ['HEPA 滤网怎么换', 'replace-filter'],
  ])('zh: %s -> %s', (query, slug) => expect(searchFaq(zh, query)[0]?.slug).toBe(slug));

  it('returns the documented result shape, best first, and honours --stage and --limit', () => {
    const results = searchFaq(en, 'filter', { stage: 'existing', limit: 2 });
    expect(results).toHaveLength(2);
    for (const r of results) expect(Object.keys(r).sort()).toEqual(['category', 'question', 'score', 'slug', 'stage']);
    expect(results.every((r) => r.stage === 'existing')).toBe(true);
    expect(results[0].score).toBeGreaterThanOrEqual(results[1].score);
  });
});

describe('highlightSegments', () => {
  const marked = (text: string, query: string) => highlightSegments(text, query).filter((s) => s.match).map((s) => s.text);

  it('marks English words that matched after stemming', () => {
    expect(marked('How do I reset my password?', 'resetting passwords')).toEqual(['reset', 'password']);
  });

  it('marks the Chinese characters of matched pairs and keeps the text intact', () => {
    const text = '忘记密码了，怎么重置？';
    expect(marked(text, '密码')).toEqual(['密码']);
    expect(highlightSegments(text, '密码').map((s) => s.text).join('')).toBe(text);
  });

  it('marks a hyphenated word found by its joined form', () => {
    expect(marked('Connect to Wi-Fi', 'wifi')).toEqual(['Wi-Fi']);
  });
});
