// No header is built from unchecked input: display names and subjects lose line breaks and control
// characters (a CR/LF would start a new header), and addresses must be plain addr-specs. Nor can
// input stretch a header line past RFC 5322's 998 characters, which many servers refuse: text is
// shortened to a sane length, which nodemailer folds into lines, and an address or Message-ID, which
// it cannot fold, must be short enough to fit.
import { graphemes } from '../text/segmenters.ts';

export interface Address {
  name: string;
  address: string;
}

const ADDR_SPEC = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9-]+(\.[a-z0-9-]+)*$/i;
/** RFC 5321's limit for a path, less its angle brackets. */
const MAX_ADDRESS = 254;
/** Past this, header text (a subject, a display name) is cut with an ellipsis. */
export const MAX_HEADER_TEXT = 250;
const MAX_MESSAGE_ID = 250;

/** One line of header text, at most max characters: CR, LF and other control characters become spaces. */
export function headerText(value: string, max = MAX_HEADER_TEXT): string {
  const text = value
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return text.length <= max ? text : shortened(text, max);
}

/** Cut between graphemes (an emoji or an accented letter stays whole), ending with … */
function shortened(text: string, max: number): string {
  let out = '';
  for (const { segment } of graphemes(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

export function isSafeAddress(address: string): boolean {
  const trimmed = address.trim();
  return trimmed.length <= MAX_ADDRESS && ADDR_SPEC.test(trimmed);
}

/** An address safe to put in a header; throws for anything that is not a plain addr-spec. */
export function checkedAddress(address: string, name = ''): Address {
  const trimmed = address.trim();
  if (!isSafeAddress(trimmed)) throw new Error(`refusing to send to an unsafe address: ${JSON.stringify(address)}`);
  return { address: trimmed.toLowerCase(), name: headerText(name) };
}

/** A Message-ID token (without brackets) that cannot break out of its header. */
export function checkedMessageId(id: string): string {
  if (!isSafeMessageId(id)) throw new Error(`unsafe Message-ID: ${JSON.stringify(id)}`);
  return id;
}

export function isSafeMessageId(id: string): boolean {
  return id.length <= MAX_MESSAGE_ID && /^[^\s<>()\u0000-\u001f\u007f]+@[^\s<>()\u0000-\u001f\u007f]+$/.test(id);
}
