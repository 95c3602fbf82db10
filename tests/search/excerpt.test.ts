import { describe, expect, it } from 'vitest';
import { excerptSegments } from '../../src/search/excerpt.ts';

const joined = (segments: { text: string }[]) => segments.map((s) => s.text).join('');
const marked = (segments: { text: string; match: boolean }[]) => segments.filter((s) => s.match).map((s) => s.text);

describe('excerptSegments', () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it('keeps a short answer whole', () => {
    const text = 'Open the app and tap Reset password.';
    expect(joined(excerptSegments(text, 'reset', 160))).toBe(text);
  });

  it('shows the part of a long answer where the words matched, cut between words', () => {
    const text = `${filler(40)} then choose a new password for the account. ${filler(40)}`;
    const segments = excerptSegments(text, 'new password', 80);
    expect(marked(segments)).toEqual(['new', 'password']);
    const shown = joined(segments);
    expect(shown.length).toBeLessThanOrEqual(82);
    expect(shown).toMatch(/^…then choose a new/); // some context before the match, from a word's start
    expect(shown).toMatch(/ word\d+…$/);
  });

  it('prefers the window with most matches over the first match', () => {
    const text = `The filter is mentioned once. ${filler(30)} Replace the filter: open the filter cover and pull the filter out. ${filler(30)}`;
    expect(marked(excerptSegments(text, 'filter', 80))).toEqual(['filter', 'filter', 'filter']);
  });

  it('cuts Chinese between characters around the match', () => {
    const text = `${'这是一段很长的说明文字。'.repeat(10)}如果忘记密码，请在登录页点击重置。${'其他内容在这里。'.repeat(10)}`;
    const segments = excerptSegments(text, '忘记密码', 40);
    expect(marked(segments)).toEqual(['忘记密码']);
    expect(joined(segments).length).toBeLessThanOrEqual(42);
    expect(joined(segments).startsWith('…')).toBe(true);
  });

  it('starts at the beginning when only the question matched', () => {
    const text = `${filler(50)}`;
    const shown = joined(excerptSegments(text, 'refund', 60));
    expect(shown.startsWith('word0 ')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
  });
});
