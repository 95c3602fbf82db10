// The customer's time zone, when their mail tells it: the offset of its Date header ("+0100"), which
// their mail client sets from their clock. +0000 and -0000 tell nothing (-0000 says so by RFC 5322;
// +0000 is also what servers and webmail stamp for anyone), and neither does an obsolete zone name.

/** A zone name luxon reads (`UTC+1`, `UTC+5:30`, `UTC-4:30`), or undefined when the Date header tells none. */
export function zoneOfDateHeader(value: string | undefined): string | undefined {
  const m = /\s([+-])(\d{2})(\d{2})\s*(\([^()]*\)\s*)?$/.exec(value ?? '');
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if ((hours === 0 && minutes === 0) || hours > 14 || minutes > 59) return undefined;
  return `UTC${m[1]}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}
