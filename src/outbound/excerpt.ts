// A long customer message in an agent's notification: the mail shows its beginning and carries the
// whole text as a .txt attachment, and says so. Mail clients clip long bodies (Gmail past 102 KB of
// HTML, hiding the rest of the mail behind a link) and a pasted log reads better in an editor.
import type { MailAttachment } from './queue.ts';

/** At most this many lines and UTF-8 bytes of a message go into the body of a notification. */
export const EXCERPT_LINES = 500;
export const EXCERPT_BYTES = 32 * 1024;

export interface Excerpt {
  /** What the notification shows: the whole text, or its first lines. */
  text: string;
  /** Absent when nothing was cut; else what the note that says so tells: the whole text's size and file. */
  whole?: { lines: number; size: string; attachment: string };
  /** The whole text, for the mail to carry. */
  attachment?: MailAttachment;
}

export function excerpt(text: string, attachmentName: string): Excerpt {
  // Counted without the line break that ends the text.
  const lines = text.replace(/\n$/, '').split('\n');
  let shown = 0;
  let bytes = 0;
  for (; shown < lines.length && shown < EXCERPT_LINES; shown++) {
    bytes += Buffer.byteLength(lines[shown]) + 1;
    if (bytes > EXCERPT_BYTES) break;
  }
  if (shown === lines.length) return { text };
  return {
    // One giant line shows its beginning: 3 bytes at most per UTF-16 unit, no surrogate pair split.
    text: shown > 0 ? lines.slice(0, shown).join('\n') : lines[0].slice(0, Math.floor(EXCERPT_BYTES / 3)).replace(/[\uD800-\uDBFF]$/, ''),
    whole: { lines: lines.length, size: `${Math.ceil(Buffer.byteLength(text) / 1024)} KB`, attachment: attachmentName },
    attachment: { filename: attachmentName, content: text, contentType: 'text/plain; charset=utf-8' },
  };
}
