// The figures eval:gaps reports: checked against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, purity } from '../../scripts/cluster-metrics.ts';

describe('cluster metrics', () => {
  it('score a perfect grouping 1, whatever the order', () => {
    expect(adjustedRandIndex([['b', 'b'], ['a', 'a', 'a']])).toBe(1);
    expect(purity([['b', 'b'], ['a', 'a', 'a']])).toBe(1);
  });

  it('score everything lumped together 0 (ARI) and the largest share (purity)', () => {
    expect(adjustedRandIndex([['a', 'a', 'b', 'b']])).toBe(0);
    expect(purity([['a', 'a', 'a', 'b']])).toBe(0.75);
  });

  it('match a worked example', () => {
    // True groups {a,a,a} {b,b,b}; found {a,a} {a,b,b,b}: index 1+3 = 4 agreeing pairs, expected
    // 7*6/15 = 2.8, max (7+6)/2 = 6.5 -> (4-2.8)/(6.5-2.8).
    expect(adjustedRandIndex([['a', 'a'], ['a', 'b', 'b', 'b']])).toBeCloseTo(1.2 / 3.7, 10);
    expect(purity([['a', 'a'], ['a', 'b', 'b', 'b']])).toBeCloseTo(5 / 6, 10);
  });
});
