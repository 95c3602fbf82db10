import { describe, expect, it } from 'vitest';
import { queryLocale } from '../../src/search/query-locale.ts';

describe('queryLocale', () => {
  it('sends queries with Chinese characters to the Chinese FAQ', () => {
    expect(queryLocale('忘记密码')).toBe('zh');
    expect(queryLocale('App 连不上', 'en')).toBe('zh');
  });

  it('keeps other queries in the visitor’s language', () => {
    expect(queryLocale('reset password')).toBe('en');
    expect(queryLocale('wifi', 'zh')).toBe('zh');
  });
});
