// Columns for the terminal, measured in terminal cells, not characters: a CJK character takes two,
// a combining accent none (string-width knows Unicode's East Asian Width and emoji tables).
import stringWidth from 'string-width';
import { visible } from './terminal-text.ts';
import { graphemes } from '../text/segmenters.ts';

const COLUMN_GAP = '  ';

/**
 * Rows as columns, one line each: every cell made visible and padded to the widest in its column,
 * measured in terminal cells (a CJK character takes two). maxWidths, by column index, cuts longer
 * cells with `…`; the last column is not padded.
 */
export function table(rows: readonly (readonly unknown[])[], maxWidths: Readonly<Record<number, number>> = {}): string {
  const cells = rows.map((row) => row.map((cell, i) => fit(visible(String(cell)), maxWidths[i])));
  const widths = cells.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, stringWidth(cell))), []);
  return cells.map((row) => `${row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]))).join(COLUMN_GAP).trimEnd()}\n`).join('');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** The text cut to at most max terminal cells, between graphemes, ending with … when cut. */
function fit(text: string, max: number | undefined): string {
  if (max === undefined || stringWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const { segment } of graphemes(text)) {
    width += stringWidth(segment);
    if (width > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}
