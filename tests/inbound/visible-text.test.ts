// Rules of the visible-text extractor, one case per rule: each fails without its rule.
import { describe, expect, it } from 'vitest';
import { extractVisibleText } from '../../src/inbound/visible-text/index.ts';

describe('a signature delimiter', () => {
  it('with more text below it than a signature has, is part of the text (grep -C output in a pasted log)', () => {
    const grep = ['Here is the grep -C1 output:', '', 'a', 'match 1', 'b', '--', 'c', 'match 2', 'd', ...Array.from({ length: 30 }, (_v, i) => `line ${i + 1}`)].join('\n');
    expect(extractVisibleText(grep)).toBe(grep);
  });
});

describe('a "-Name" sign-off', () => {
  it('is kept above the sender\'s own "-- " or "__" delimiter: the signature is what the delimiter marks', () => {
    expect(extractVisibleText('Thanks for the fix.\n\n-Bob\n\n-- \nBob Smith\nACME Support')).toBe('Thanks for the fix.\n\n-Bob');
    expect(extractVisibleText('Thanks for the fix.\n\n-Bob\n\n__\nACME Support')).toBe('Thanks for the fix.\n\n-Bob');
  });

  it('is the signature above a mailing-list footer: a long rule of underscores is drawn by software, not the sender', () => {
    const footer = `${'_'.repeat(47)}\nusers mailing list\nusers@lists.example.org`;
    expect(extractVisibleText(`Thanks for the fix.\n\n-Bob\n\n\n${footer}`)).toBe('Thanks for the fix.');
  });
});

// Quote markers are looked for in the first 1,000 lines only (their patterns are costly on huge
// texts); nothing after that window may be lost without a quotation to explain it.
describe('a mail longer than the quote-marker window', () => {
  const numbered = (from: number, to: number, prefix = '') =>
    Array.from({ length: to - from + 1 }, (_v, i) => `${prefix}log line ${from + i}: worker ${(from + i) % 7} finished step ${from + i}`);

  it('is kept whole when it holds no quotation', () => {
    const log = numbered(1, 3000).join('\n');
    expect(extractVisibleText(`The sync fails, here is the log:\n\n${log}`)).toBe(`The sync fails, here is the log:\n\n${log}`);
  });

  it('keeps its text before a quote marker that comes after line 1,000 whole', () => {
    const text = numbered(1, 1500).join('\n');
    const visible = extractVisibleText(`${text}\n\nOn Mon, 2 Nov 2026 at 09:00, Carol <carol@example.com> wrote:\n> Can you help?\n> Thanks`);
    expect(visible.startsWith(`${text}\n`)).toBe(true);
  });

  it('keeps the text that goes on after a quotation inside the window (a bottom-posted answer)', () => {
    const answer = numbered(1, 2000).join('\n');
    const quote = 'On Mon, 2 Nov 2026 at 09:00, Ann <ann@desk.example> wrote:\n> Please send the log.\n> Ann';
    expect(extractVisibleText(`${quote}\n\n${answer}`)).toBe(answer);
  });

  it('drops quoted history that starts inside the window and runs past it', () => {
    const history = numbered(1, 3000, '> ').join('\n');
    expect(extractVisibleText(`Sure, done.\n\nOn Mon, 2 Nov 2026 at 09:00, Carol <carol@example.com> wrote:\n${history}`)).toBe('Sure, done.');
  });

  it('keeps an inline answer that follows a ">" quotation running past the window', () => {
    const quoted = numbered(1, 1200, '> ').join('\n');
    const text = `See below.\n\nOn Mon, 2 Nov 2026, Carol <carol@example.com> wrote:\n> First question?\n\nFirst answer.\n\n${quoted}\n\nSecond answer.`;
    expect(extractVisibleText(text).split('\n').filter(Boolean)).toEqual(['See below.', 'First answer.', 'Second answer.']);
  });

  it('drops everything after an Outlook header block inside the window: its quoted mail has no ">"', () => {
    const history = numbered(1, 3000).join('\n');
    expect(extractVisibleText(`Sure, done.\n\nFrom: Carol <carol@example.com>\nSent: Monday, November 2, 2026 9:00 AM\nSubject: Help\n\n${history}`)).toBe('Sure, done.');
  });
});
