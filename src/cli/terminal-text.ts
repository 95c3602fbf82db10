// Text the CLI prints for a person. Subjects, names, file names and mail text are the senders', and a
// terminal obeys the control sequences in them (ESC[2J clears the screen, OSC 0 sets the window
// title, OSC 52 writes the clipboard) and the bidi controls that reorder what it shows
// (`invoice\u202Efdp.exe` reads as `invoiceexe.pdf`). Every command's text output is built here,
// with those characters shown as visible escapes (`\x1b`, `\u202e`); --json prints the exact text.
// Columns are laid out by ./columns.ts.
/** C0 and C1 controls (ESC, CSI, BEL … and DEL), the bidi controls, and the Unicode line and paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;
/** The same, but for line feeds and tabs: the layout of a text of several lines. */
const UNSAFE_IN_LINES = /(?![\n\t])[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;

function escape(c: string): string {
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A value for one line: every unsafe character, a line break too, as a visible escape. */
export function visible(value: string): string {
  return value.replace(UNSAFE, escape);
}

/** A text of several lines (a mail's text): line feeds and tabs stay, CR LF becomes LF, anything else unsafe is escaped. */
export function visibleLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_IN_LINES, escape);
}

/** Marks a value of a `shown` line that keeps its line breaks (see visibleLines). */
class Lines {
  constructor(readonly text: string) {}
}

export function lines(text: string): Lines {
  return new Lines(text);
}

/** A line as its template writes it, with each value made visible (one line, or lines(text)). */
export function shown(template: TemplateStringsArray, ...values: unknown[]): string {
  return template.reduce((out, part, i) => out + show(values[i - 1]) + part);
}

function show(value: unknown): string {
  return value instanceof Lines ? visibleLines(value.text) : visible(String(value));
}

/** Writes a `shown` line to stdout. */
export function say(template: TemplateStringsArray, ...values: unknown[]): void {
  process.stdout.write(shown(template, ...values));
}
