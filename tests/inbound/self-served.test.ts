// What counts as "solved" in a customer's reply: the words alone, politeness aside; never a negation
// or a longer message, which an agent should read.
import { describe, expect, it } from 'vitest';
import { saysSolved } from '../../src/inbound/filters/resolve-self-served.ts';

describe('saysSolved', () => {
  it.each(['solved', 'Solved!', 'Thanks, that fixed it!', 'thank you so much, problem solved :)', "It's fixed, thanks", 'Resolved.', '已解决', '问题解决了', '已解决，谢谢！', '好的，问题已经解决了'])(
    'yes: %s',
    (text) => expect(saysSolved(text)).toBe(true),
  );
  it.each(['not solved', 'Solved? No.', 'unsolved', "it's not fixed", '没有解决', '还没解决', '问题没有解决，请帮忙', '', 'solved the first part, but the app still crashes when I open the schedule page'])(
    'no: %s',
    (text) => expect(saysSolved(text)).toBe(false),
  );
});
