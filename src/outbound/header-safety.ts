// No header is built from unchecked input: display names and subjects lose line breaks and control
// characters (a CR/LF would start a new header), and addresses must be plain addr-specs.
export interface Address {
  name: string;
  address: string;
}

const ADDR_SPEC = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

/** One line of header text: CR, LF and other control characters become spaces. */
export function headerText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

export function isSafeAddress(address: string): boolean {
  return ADDR_SPEC.test(address.trim());
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
  return /^[^\s<>()\u0000-\u001f\u007f]+@[^\s<>()\u0000-\u001f\u007f]+$/.test(id);
}
