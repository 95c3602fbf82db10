// RFC 5322 structured field values as the loop guard reads them. mailparser gives each header line as
// it came (repeated names as several lines) and leaves comments in: `Precedence: bulk (autoresponder)`,
// `Return-Path: <> (null sender)`. Here folding is undone and comments, nested and with quoted pairs,
// are removed outside quoted strings, so a value compares the way the RFCs define it.

/** The value without folding and comments, runs of white space as one space, trimmed. */
export function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += c + (value[i + 1] ?? '');
      i++;
    } else if (quoted) {
      out += c;
      if (c === '"') quoted = false;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
    } else if (depth === 0) {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The comma-separated items of a value, lower-cased, each without parameters (`auto-replied; owner=x` → `auto-replied`). */
export function keywords(value: string): string[] {
  return withoutComments(value)
    .toLowerCase()
    .split(',')
    .map((item) => item.split(';')[0].trim())
    .filter(Boolean);
}

/**
 * The address of a Return-Path (RFC 5322 `path`): '' for the null path (`<>`, `< >`), the address
 * without its angle brackets otherwise (`<MAILER-DAEMON>` → `mailer-daemon`), lower-cased.
 */
export function pathAddress(value: string): string {
  const bare = withoutComments(value).replace(/\s+/g, '');
  return (/^<(.*)>$/.exec(bare)?.[1] ?? bare).toLowerCase();
}
