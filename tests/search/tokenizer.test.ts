import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/search/tokenizer.ts';

describe('tokenize', () => {
  it('stems English words and drops stop words', () => {
    expect(tokenize('How do I reset my passwords?')).toEqual(['reset', 'password']);
    expect(tokenize('Resetting the password')).toEqual(tokenize('reset passwords'));
  });

  it('splits Chinese into characters and neighbouring pairs', () => {
    expect(tokenize('退款')).toEqual(['退', '退款', '款']);
    // 的 alone is grammar and dropped, but the pairs it is part of stay.
    expect(tokenize('我的订单')).toEqual(['我的', '的订', '订', '订单', '单']);
  });

  it('splits English from Chinese even without a space between them', () => {
    expect(tokenize('App无法登录')).toEqual(['app', '无', '无法', '法', '法登', '登', '登录', '录']);
  });

  it('keeps both scripts in mixed text', () => {
    const tokens = tokenize('App 无法登录 after update');
    expect(tokens).toEqual(expect.arrayContaining(['app', '登录', '无法', 'updat']));
  });

  it('treats a hyphenated word as its parts and as one word', () => {
    expect(tokenize('Wi-Fi')).toEqual(['wi', 'fi', 'wifi']);
    expect(tokenize('wifi')).toEqual(['wifi']);
  });

  it('normalizes full-width letters and case', () => {
    expect(tokenize('ＡＰＰ Password')).toEqual(['app', 'password']);
  });
});

describe('stemming', () => {
  it('lets inflected forms meet in one term', () => {
    expect(tokenize('resetting resets reset')).toEqual(['reset', 'reset', 'reset']);
    expect(tokenize('shipped shipping')).toEqual(['ship', 'ship']);
  });
});
