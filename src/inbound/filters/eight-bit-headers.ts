// Raw 8-bit headers (no RFC 2047 encoding), as older Chinese and Japanese mail clients write them:
// mailparser reads header bytes as UTF-8, so a GBK or Shift_JIS subject would come out as U+FFFD.
// Such header fields are transcoded to UTF-8 (RFC 6532) in a copy given to the parser; the raw
// store keeps the bytes as they came (keep-raw ran before).
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { DecodeFilter } from '../decode/decoded-mail.ts';

export const transcodeEightBitHeaders: DecodeFilter = {
  name: 'eight-bit-headers',
  async run(ctx) {
    const end = headerBlockEnd(ctx.raw);
    if (isAscii(ctx.raw.subarray(0, end))) return;
    const fields = headerFields(ctx.raw.subarray(0, end));
    const foreign = fields.filter((f) => !isAscii(f) && !readsAsUtf8(f) && !CONTENT_TYPE.test(f.toString('latin1', 0, 13)));
    if (!foreign.length) return;
    const charset = declaredCharset(ctx.raw, end, foreign) ?? (await detectedCharset(foreign));
    const utf8 = fields.map((f) => (foreign.includes(f) ? Buffer.from(iconv.decode(f, charset), 'utf8') : f));
    ctx.parserInput = Buffer.concat([...utf8, ctx.raw.subarray(end)]);
  },
};

// Left as it is: its boundary must stay byte for byte the one the body's delimiter lines use.
const CONTENT_TYPE = /^content-type:/i;

/**
 * UTF-8, or mostly: a character cut short or a stray byte in UTF-8 text is not another charset, and
 * mailparser's one U+FFFD for it beats mojibake for all the rest. In text of another charset, byte
 * pairs that happen to be valid UTF-8 are the fewer.
 */
function readsAsUtf8(field: Buffer): boolean {
  if (isUtf8(field)) return true;
  let valid = 0;
  let invalid = 0;
  for (const c of field.toString('utf8')) {
    if (c === '\ufffd') invalid++;
    else if (c > '\x7f') valid++;
  }
  return valid > invalid;
}

/** Where the top header block ends: at its blank line (CRLF or bare LF), else the mail's end. */
function headerBlockEnd(raw: Buffer): number {
  for (let line = 0; line < raw.length; ) {
    if (raw[line] === 0x0a) return line;
    if (raw[line] === 0x0d && raw[line + 1] === 0x0a) return line;
    const lf = raw.indexOf(0x0a, line);
    if (lf < 0) break;
    line = lf + 1;
  }
  return raw.length;
}

/** The header block cut into fields, each with its folded lines and line ends. */
function headerFields(block: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  for (let line = 0; line < block.length; ) {
    const lf = block.indexOf(0x0a, line);
    const next = lf < 0 ? block.length : lf + 1;
    const folded = block[next] === 0x20 || block[next] === 0x09;
    if (!folded) {
      fields.push(block.subarray(start, next));
      start = next;
    }
    line = next;
  }
  return fields;
}

// The first text part's Content-Type (the top header block's when the mail is text itself); looked
// for in the first 64 KB only, so a big mail is not copied into a string.
const TEXT_CHARSET = /^content-type:[ \t]*text\/(?:[^\r\n]|\r?\n[ \t])*?charset[ \t]*=[ \t]*"?([\w.:()+-]+)/im;
const CHARSET_WINDOW = 64 * 1024;

/** The body's charset, when it decodes every foreign field (ISO-2022-JP, say, decodes no 8-bit byte). */
function declaredCharset(raw: Buffer, headerEnd: number, foreign: Buffer[]): string | undefined {
  const declared = TEXT_CHARSET.exec(raw.toString('latin1', 0, headerEnd + CHARSET_WINDOW))?.[1];
  // As browsers do (WHATWG Encoding): mail labelled Latin-1 is windows-1252, or 0x85 would be a control, not "…".
  const charset = declared && /^(iso-?8859-1|latin-?1)$/i.test(declared) ? 'windows-1252' : declared;
  return charset && decodesAll(charset, foreign) ? charset : undefined;
}

// What such clients write: Chinese, Japanese, Korean, KOI8-R, and the Windows code pages.
const DETECTABLE = ['gb18030', 'big5', 'shift_jis', 'euc-jp', 'euc-kr', 'koi8-r', ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => `windows-125${n}`)];

/**
 * jschardet's best guess that decodes every foreign field, from their values together (a body in
 * another charset, or in ASCII, only misleads it). Loaded on first use: most mail never needs it,
 * and it weighs 1 MB.
 */
async function detectedCharset(foreign: Buffer[]): Promise<string> {
  const { detectAll } = await import('jschardet');
  const values = Buffer.concat(foreign.map((f) => f.subarray(f.indexOf(0x3a) + 1)));
  const guesses = detectAll(values, { detectEncodings: DETECTABLE, minimumThreshold: 0 });
  // Latin-1 gives every byte a character: whatever else, nothing becomes U+FFFD.
  return guesses.map((g) => g.encoding).find((e): e is string => !!e && decodesAll(e, foreign)) ?? 'latin1';
}

function decodesAll(charset: string, fields: Buffer[]): boolean {
  return iconv.encodingExists(charset) && fields.every((f) => !iconv.decode(f, charset).includes('\ufffd'));
}
