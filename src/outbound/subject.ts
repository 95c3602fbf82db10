// The subject of a mail about a ticket carries that ticket's tag once, wherever the template and the
// customer's subject put tags. Another ticket's tag (a stranger who wrote `[#1000]`, which opened a
// ticket of their own) stays readable as text but is no tag: the answer to this mail must not name
// ticket 1000. Checked after shortening, so that the work is bounded whatever the customer sent.
import { subjectTagPattern } from '../inbound/filters/thread.ts';
import { headerText, MAX_HEADER_TEXT } from './header-safety.ts';

export function ticketSubject(rendered: string, tagFormat: string, ticketNumber: number): string {
  const tag = tagFormat.replace('{number}', String(ticketNumber));
  const text = withOneTag(headerText(rendered), tagFormat, ticketNumber);
  if (text.includes(tag)) return text;
  return `${tag} ${headerText(text, MAX_HEADER_TEXT - tag.length - 1)}`;
}

/**
 * The text with its first tag of this ticket, without any other: further tags of this ticket are
 * removed, other tickets' tags made plain. Repeated, since what is left can form a tag again
 * (`[[#1000]]`); each round that changes the text shortens it.
 */
function withOneTag(text: string, tagFormat: string, ticketNumber: number): string {
  const anyTag = new RegExp(subjectTagPattern(tagFormat).source, 'g');
  for (;;) {
    let kept = false;
    const next = text.replace(anyTag, (found, number: string) => {
      if (Number(number) !== ticketNumber) return plainTag(tagFormat, number);
      if (kept) return '';
      kept = true;
      return found;
    });
    if (next === text) return text;
    text = headerText(next);
  }
}

/** A tag as text that is no tag: `[#1000]` → `#1000`, or just the number when the format has no brackets. */
function plainTag(tagFormat: string, number: string): string {
  const [before, after] = tagFormat.split('{number}');
  const plain = `${before.replace(/^[[({<]+/, '')}${number}${after.replace(/[\])}>]+$/, '')}`;
  return subjectTagPattern(tagFormat).test(plain) ? number : plain;
}
