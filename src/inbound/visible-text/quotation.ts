// Removes quoted history from plain text with talon's line-marker method: each line is marked
// e (empty), m (starts with ">"), s (splitter, see ./splitters.ts), f (forwarded) or t (text),
// and patterns over the marker string decide what is quotation.
import { FORWARD, SPLITTER_SHARING_A_LINE, splitterAt } from './splitters.ts';

/** Mail longer than this many lines is cut by marker patterns only in its first part. */
const MAX_LINES = 1000;

export function markLines(lines: string[]): string {
  const markers: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) markers.push('e');
    else if (/^>/.test(line)) markers.push('m');
    else if (FORWARD.test(line)) markers.push('f');
    else {
      const span = splitterAt(lines, i);
      if (!span) markers.push('t');
      else {
        markers.push(...'s'.repeat(span));
        i += span - 1;
      }
    }
  }
  return markers.join('');
}

/**
 * Text between quoted blocks is an inline reply, unless it is only the tail of a long link that broke
 * the run of ">" lines ("(http://..." on that line or the line before).
 */
function isInlineReply(lines: string[], markers: string): boolean {
  // [te]* rather than talon's (t+e*)+: the same language without exponential backtracking.
  for (const m of markers.matchAll(/(?<=m)e*(t[te]*)m/g)) {
    const brokenLink = /\(https?:\/\//.test(lines[m.index - 1] ?? '') || /^\(https?:\/\//.test(lines[m.index].trim());
    if (!brokenLink) return true;
  }
  return false;
}

/** An inline reply keeps its answers: quoted lines, their headers and the blank lines after them go. */
function answersOnly(lines: string[], markers: string): string {
  const kept = markers.replace(/[sm][sme]*/g, (block) => 'x'.repeat(block.length));
  return lines.filter((_l, i) => kept[i] !== 'x').join('\n');
}

export function withoutQuotation(text: string): string {
  const lines = text
    .split('\n')
    .slice(0, MAX_LINES)
    .flatMap((line) => (line.startsWith('>') ? [line] : line.replace(SPLITTER_SHARING_A_LINE, '\n$1').split('\n')));
  let markers = markLines(lines);
  // Without a splitter, fewer than three ">" lines are not a quotation (">>> look here <<<").
  if (!markers.includes('s') && !/(me*){3}/.test(markers)) markers = markers.replace(/m/g, 't');
  // A forward keeps everything it forwards.
  if (/^[te]*f/.test(markers)) return lines.join('\n');
  if (isInlineReply(lines, markers)) return answersOnly(lines, markers);
  // A splitter followed by unquoted text (Outlook quotes without ">"): everything from it is history.
  // Quoted lines right above that splitter belong to the history too.
  const unmarked = /[me]*(se*)+((t|f)+e*)+/.exec(markers);
  if (unmarked) return lines.slice(0, unmarked.index).join('\n');
  // A quotation block (splitter or several ">" lines up to the last ">" line), text after it stays.
  const block = /((?:s|(?:me*){2,}).*me*)[te]*$/.exec(markers) ?? /((?:se*)+|(?:me*){2,})e*/.exec(markers);
  if (block) return [...lines.slice(0, block.index), ...lines.slice(block.index + block[1].length)].join('\n');
  return lines.join('\n');
}
