// The tag rules of an outgoing subject (src/outbound/subject.ts) on what the SMTP tests do not reach:
// tags nested to form a tag again, other tag formats, a tag that shortening would cut off.
import { describe, expect, it } from 'vitest';
import { ticketSubject } from '../../src/outbound/subject.ts';

describe('ticketSubject', () => {
  it('makes a tag that forms again after a round plain too', () => {
    expect(ticketSubject('[#1001] Hi: [[#1000]] [#1001] x', '[#{number}]', 1001)).toBe('[#1001] Hi: #1000 x');
  });

  it('works with the configured tag format', () => {
    expect(ticketSubject('Re: [Case 5] Hi', '[Case {number}]', 7)).toBe('[Case 7] Re: Case 5 Hi');
    // Without brackets, the plain form would still be a tag: only the number stays.
    expect(ticketSubject('Hi T-5', 'T-{number}', 7)).toBe('T-7 Hi 5');
  });

  it('keeps the tag when the template puts it where the subject is cut', () => {
    const subject = ticketSubject(`About ${'y'.repeat(300)} [#7]`, '[#{number}]', 7);
    expect(subject).toMatch(/^\[#7\] About y+…$/);
    expect(subject.length).toBeLessThanOrEqual(250);
  });
});
