// email-reply-parser tests each line against dozens of quote-header regexes; on a line of hundreds of
// kilobytes (a wall of `>`) that takes minutes, so one hostile mail could stall the pipeline.
// Long lines are swapped for short stand-ins (keeping their leading quote marks, which decide
// whether a line is quoted) while parsing, and put back afterwards.
const LONG_LINE = 1000;
const MARK = '\u{F8FF}';

export function withLongLinesShielded(text: string, parse: (text: string) => string): string {
  const originals: string[] = [];
  const shielded = text
    .split('\n')
    .map((line) => {
      if (line.length <= LONG_LINE) return line;
      originals.push(line);
      const quoteMarks = /^[>\s]{0,20}/.exec(line)![0];
      return `${quoteMarks}${MARK}${originals.length - 1}${MARK}`;
    })
    .join('\n');
  if (!originals.length) return parse(text);
  const stand = new RegExp(`[>\\s]{0,20}${MARK}(\\d+)${MARK}`, 'g');
  return parse(shielded).replace(stand, (_m, i: string) => originals[Number(i)]);
}
