// Size of the search index the browser downloads: the sample FAQ, and 1,000 generated questions
// per language (deterministic text, so the numbers are comparable between runs). Prints the sizes.
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFaqDir } from '../../src/search/faq-loader.ts';
import { buildFaqIndex } from '../../src/search/faq-search.ts';
import { STAGES, type FaqEntry, type Locale } from '../../src/search/faq-schema.ts';

const EN_WORDS = `filter purifier order refund delivery password account invoice app wifi schedule night mode sensor
  warranty repair upgrade plan subscription card payment email light colour noise room size pet allergy pollen
  smoke odour carbon hepa firmware update share family reset factory tracking parcel damaged return trial price`.split(/\s+/);
const ZH_TEXT = '滤网净化器订单退款配送密码账户发票应用无线网络定时睡眠模式传感器保修维修升级订阅银行卡付款邮箱指示灯颜色噪音房间面积宠物过敏花粉烟雾异味活性炭固件更新共享家人重置出厂物流包裹损坏退货试用价格';

/** A small deterministic random generator, so every run measures the same text. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function generatedEntries(locale: Locale, count: number): FaqEntry[] {
  const next = random(42);
  const pick = <T,>(xs: ArrayLike<T>) => xs[Math.floor(next() * xs.length)];
  const phrase = (n: number) =>
    locale === 'en' ? Array.from({ length: n }, () => pick(EN_WORDS)).join(' ') : Array.from({ length: n * 2 }, () => pick(ZH_TEXT)).join('');
  return Array.from({ length: count }, (_, i) => ({
    locale, slug: `q-${i}`, file: `q-${i}.md`, question: phrase(7), body: phrase(60),
    stage: STAGES[i % 3], category: 'product', popularity: 0, tags: [], related: [], draft: false,
  }));
}

function sizes(entries: FaqEntry[], locale: Locale) {
  const json = JSON.stringify(buildFaqIndex(entries, locale).toJSON());
  return { bytes: Buffer.byteLength(json), gzip: gzipSync(json).length };
}

describe('search index size', () => {
  const sample = loadFaqDir(path.resolve(import.meta.dirname, '../../faq'));

  it.each(['en', 'zh'] as const)('%s: sample FAQ and 1,000 generated questions', (locale) => {
    const ofSample = sizes(sample, locale);
    const ofGenerated = sizes(generatedEntries(locale, 1000), locale);
    console.log(
      `index size ${locale}: sample FAQ (${sample.filter((e) => e.locale === locale).length} questions) ${ofSample.bytes} B (gzip ${ofSample.gzip} B); ` +
        `1,000 generated questions ${ofGenerated.bytes} B (gzip ${ofGenerated.gzip} B)`,
    );
    // Budgets for a help center loaded on a phone: well under a megabyte compressed.
    expect(ofSample.gzip).toBeLessThan(50_000);
    expect(ofGenerated.gzip).toBeLessThan(500_000);
  });
});
