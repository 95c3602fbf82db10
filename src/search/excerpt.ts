// A short piece of an answer for the search results: the window with the most matched text,
// cut between words (Chinese has no spaces, so it is cut between characters), "…" where cut.
import { highlightSegments, type TextSegment } from './highlight.ts';

/** How far to look for a space when cutting, and how much text to keep before the first match. */
const WORD_REACH = 20;

export function excerptSegments(text: string, query: string, maxLength = 160): TextSegment[] {
  const segments = highlightSegments(text, query);
  if (text.length <= maxLength) return segments;
  const matches: [number, number][] = [];
  let offset = 0;
  for (const s of segments) {
    if (s.match) matches.push([offset, offset + s.text.length]);
    offset += s.text.length;
  }
  const matchedIn = (from: number, to: number) => matches.reduce((n, [a, b]) => n + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);
  let start = 0;
  let best = 0;
  for (const [a] of matches) {
    const candidate = Math.max(0, a - Math.floor(maxLength / 4));
    const matched = matchedIn(candidate, candidate + maxLength);
    if (matched > best) [start, best] = [candidate, matched];
  }
  start = cutPoint(text, start, 1);
  const end = start + maxLength >= text.length ? text.length : cutPoint(text, start + maxLength, -1);
  return clip(segments, start, end);
}

/** A place near `at` between two words (direction 1: the next one, -1: the previous one). */
function cutPoint(text: string, at: number, direction: 1 | -1): number {
  for (let i = 0; i <= WORD_REACH; i++) {
    const p = at + i * direction;
    if (p <= 0 || p >= text.length) break;
    if (/\s/.test(text[p - 1]) !== /\s/.test(text[p])) return p;
  }
  // No space nearby (Chinese): cut between characters, never inside a surrogate pair.
  return /[\uDC00-\uDFFF]/.test(text[at] ?? '') ? at + 1 : at;
}

function clip(segments: TextSegment[], start: number, end: number): TextSegment[] {
  const out: TextSegment[] = [];
  let offset = 0;
  for (const s of segments) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + s.text.length);
    if (from < to) out.push({ text: s.text.slice(from - offset, to - offset), match: s.match });
    offset += s.text.length;
  }
  if (out.length) {
    out[0].text = out[0].text.trimStart();
    out[out.length - 1].text = out[out.length - 1].text.trimEnd();
  }
  if (start > 0) out.unshift({ text: '…', match: false });
  if (end < offset) out.push({ text: '…', match: false });
  return out;
}
