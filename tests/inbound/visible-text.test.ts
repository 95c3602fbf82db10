// Signature rules of the visible-text extractor, one case per rule: each fails without its rule.
import { describe, expect, it } from 'vitest';
import { extractVisibleText } from '../../src/inbound/visible-text/index.ts';

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
