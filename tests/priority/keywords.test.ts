// Configured words (priority keywords, order words, complaint words) as they match: Latin-script
// words whole, whatever script touches them; Chinese anywhere; any case; a phrase across any spaces.
import { describe, expect, it } from 'vitest';
import { wordPattern } from '../../src/priority/keywords.ts';

const found = (word: string, text: string) => [...wordPattern(word).indexes(text)];

describe('wordPattern', () => {
  it.each([
    ['urgent', 'URGENT: the shop is down', [0]],
    ['urgent', 'Insurgent (the film)', []],
    ['urgent', 'urgently', []],
    ['urgent', 'éurgent or urgenté', []],
    ['urgent', 'urgent2 and 2urgent', []],
    ['urgent', '𝐀urgent', []], // a letter beyond the BMP (a surrogate pair) touches it too
    ['urgent', '😀urgent!', [2]], // an emoji is no letter
    ['urgent', 'xurgent, urgent', [9]], // a touching candidate does not hide the next one
    ['money back', 'I want my Money\n  back now', [10]],
    ['投诉', '我要投诉！再投诉', [2, 6]],
    ['rip-off', 'what a rip-off.', [7]],
  ])('%s in %j: at %j', (word, text, at) => {
    expect(found(word, text)).toEqual(at);
    expect(wordPattern(word).test(text)).toBe(at.length > 0);
  });
});
