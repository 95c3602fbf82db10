// The name an attachment is saved under, safe on every agent's operating system and unmistakable to
// read. The name as sent is kept beside it, for display. Our own rules rather than sanitize-filename:
// that library erases a reserved name (CON becomes ""), cuts at 255 bytes without keeping the
// extension or whole characters, and leaves bidi controls in; the rest of it is one regex here.
import path from 'node:path';
import { graphemes } from '../text/segmenters.ts';

const MAX_BYTES = 200;
/** A longer "extension" is part of the name (`notes.from-the-meeting-with-…`), not kept whole. */
const MAX_EXTENSION_BYTES = 32;

/** Format characters: bidi overrides and isolates (`invoice\u202Efdp.exe` shows as "invoiceexe.pdf"), zero-width ones, BOM. */
const FORMAT = /\p{Cf}/gu;
/** What Windows forbids in a name, and control characters (C0, DEL, C1). */
const FORBIDDEN = /[<>:"/\\|?*\p{Cc}]/gu;
/** Device names Windows reserves whatever the extension (`NUL.txt` is the null device too). */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])\s*(\.|$)/i;

/** A filename that is safe on any disk and in any header: no path, no control or format characters, no reserved name, at most 200 bytes of UTF-8. */
export function safeFilename(name: string | undefined, index: number, contentType: string): string {
  const base = path.basename((name ?? '').normalize('NFC').replace(FORMAT, '').replace(/\\/g, '/'));
  const cleaned = withoutTrailingDotsAndSpaces(base.replace(FORBIDDEN, '_').replace(/^[\s.]+/, ''));
  const fallback = `attachment-${index + 1}`;
  if (!cleaned) return `${fallback}.${contentType.split('/')[1]?.replace(/[^a-z0-9.+-]/gi, '') || 'bin'}`;
  const named = RESERVED.test(cleaned) ? `_${cleaned}` : cleaned;
  if (Buffer.byteLength(named) <= MAX_BYTES) return named;
  const extension = path.extname(named);
  const kept = Buffer.byteLength(extension) <= MAX_EXTENSION_BYTES ? extension : '';
  const stem = withoutTrailingDotsAndSpaces(cutToBytes(named.slice(0, named.length - kept.length), MAX_BYTES - Buffer.byteLength(kept)));
  return `${stem || fallback}${kept}`;
}

function withoutTrailingDotsAndSpaces(name: string): string {
  return name.replace(/[\s.]+$/, '');
}

/** The longest head of text of whole graphemes (an emoji, a flag, a letter with its accents) within maxBytes of UTF-8. */
function cutToBytes(text: string, maxBytes: number): string {
  let head = '';
  let bytes = 0;
  for (const { segment } of graphemes(text)) {
    bytes += Buffer.byteLength(segment);
    if (bytes > maxBytes) break;
    head += segment;
  }
  return head;
}
