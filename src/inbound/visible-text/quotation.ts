// Removes quoted history from plain text with talon's line-marker method: each line is marked
// e (empty), m (starts with ">"), s (splitter, see ./splitters.ts), f (forwarded) or t (text),
// and patterns over the marker string decide what is quotation.
import { FORWARD, SPLITTER_SHARING_A_LINE, splitterAt } from './splitters.ts';

/**
 * Quote markers are looked for in a mail's first this many lines only: their patterns are costly on
 * huge texts, and quoted history starts near the top. The lines after this window are never dropped
 * unseen: they go on the way the window ends (see withoutQuotation).
 */
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

/** Which lines are quoted history: in the marker window, and after it (see withoutQuotation). */
interface History {
  inWindow: boolean[];
  after: (line: string) => boolean;
}

function historyLines(lines: string[]): History {
  let markers = markLines(lines);
  const lineIs = (history: (i: number) => boolean) => lines.map((_l, i) => history(i));
  // Past the window, ">" lines continue a ">" quotation the window ends in; other lines are text again.
  const goingOn = (inWindow: boolean[]): History => ({ inWindow, after: (line) => inWindow.at(-1) === true && line.startsWith('>') });
  // Without a splitter, fewer than three ">" lines are not a quotation (">>> look here <<<").
  if (!markers.includes('s') && !/(me*){3}/.test(markers)) markers = markers.replace(/m/g, 't');
  // A forward keeps everything it forwards.
  if (/^[te]*f/.test(markers)) return goingOn(lineIs(() => false));
  // An inline reply keeps its answers: quoted lines, their headers and the blank lines after them go.
  if (isInlineReply(lines, markers)) {
    const quoted = markers.replace(/[sm][sme]*/g, (block) => 'x'.repeat(block.length));
    return goingOn(lineIs((i) => quoted[i] === 'x'));
  }
  // A splitter followed by unquoted text (Outlook quotes without ">"): everything from it is history.
  // Quoted lines right above that splitter belong to the history too.
  const unmarked = /[me]*(se*)+((t|f)+e*)+/.exec(markers);
  if (unmarked) return { inWindow: lineIs((i) => i >= unmarked.index), after: () => true };
  // A quotation block (splitter or several ">" lines up to the last ">" line), text after it stays.
  const block = /((?:s|(?:me*){2,}).*me*)[te]*$/.exec(markers) ?? /((?:se*)+|(?:me*){2,})e*/.exec(markers);
  if (block) return goingOn(lineIs((i) => i >= block.index && i < block.index + block[1].length));
  return goingOn(lineIs(() => false));
}

/**
 * The text without its quoted history. Past the marker window, a long mail goes on the way the window
 * ends: after kept text (a pasted log, an answer below the quote) every line is kept; inside a ">"
 * quotation, ">" lines are more of it and other lines are answers again; inside history that an
 * unquoted splitter began (Outlook's "From: ..." block), everything after is history too.
 */
export function withoutQuotation(text: string): string {
  const all = text.split('\n');
  const lines = all
    .slice(0, MAX_LINES)
    .flatMap((line) => (line.startsWith('>') ? [line] : line.replace(SPLITTER_SHARING_A_LINE, '\n$1').split('\n')));
  const history = historyLines(lines);
  const kept = lines.filter((_l, i) => !history.inWindow[i]);
  return [...kept, ...all.slice(MAX_LINES).filter((line) => !history.after(line))].join('\n');
}
