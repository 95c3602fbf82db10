// Decoded, normalized header facts: addresses lower-cased, ids without brackets, one-line subject,
// and a stable synthetic Message-ID for mail that has none.
import type { AddressObject, HeaderValue, ParsedMail } from 'mailparser';
import type { AddressValue } from '../../store/schema.ts';
import { QuarantineMail, required, type DecodeFilter } from '../context.ts';

export const normalizeMail: DecodeFilter = {
  name: 'normalize',
  run(ctx) {
    const parsed = required(ctx.parsed, 'parsed');
    const from = firstUsableSender(parsed);
    if (!from) throw new QuarantineMail('no usable sender: no valid address in From, Reply-To or Sender');
    const referenceIds = messageIds(headerText(parsed.headers.get('references')));
    const inReplyTo = messageIds(headerText(parsed.headers.get('in-reply-to')))[0] ?? null;
    ctx.mail = {
      messageId: messageIds(parsed.messageId ?? '')[0] ?? `${required(ctx.rawLocation, 'rawLocation').sha256.slice(0, 40)}@synthetic.postdesk.invalid`,
      inReplyTo,
      references: referenceIds,
      from,
      replyTo: addresses(parsed.replyTo),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      subject: oneLine(parsed.subject ?? ''),
      date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
      headers: headerLines(parsed),
    };
  },
};

/** Extracts every `<id>` (or a bare id) from a Message-ID-bearing header. */
export function messageIds(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  if (bracketed.length) return unique(bracketed);
  const bare = value.trim();
  return bare && /^[^\s<>]+@[^\s<>]+$/.test(bare) ? [bare] : [];
}

export function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(' ');
  return typeof value === 'string' ? value : '';
}

/** Lenient on purpose: real senders have quoted local parts and dotless intranet domains. */
const ADDRESS = /^("[^"\r\n]*"|[^\s@"<>()\[\],;:]+)@[^\s@"<>()\[\],;:]+$/;

/** The usable form of an address, or null: lower-cased, without stray angle brackets. */
export function usableAddress(raw: string): string | null {
  const address = raw.trim().replace(/^<+|>+$/g, '').toLowerCase();
  return ADDRESS.test(address) ? address : null;
}

export function addresses(field: AddressObject | AddressObject[] | undefined): AddressValue[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const out: AddressValue[] = [];
  for (const obj of objects) {
    for (const entry of obj.value) {
      for (const member of entry.group ?? [entry]) {
        const address = usableAddress(member.address ?? '');
        if (address) out.push({ address, name: oneLine(member.name ?? '') });
      }
    }
  }
  return out;
}

function firstUsableSender(parsed: ParsedMail): AddressValue | undefined {
  const sender = parsed.headers.get('sender') as AddressObject | undefined;
  return addresses(parsed.from)[0] ?? addresses(parsed.replyTo)[0] ?? addresses(sender)[0];
}

/** Raw header lines by lower-case name, for the classification rules. */
function headerLines(parsed: ParsedMail): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).trim();
    map.set(key, [...(map.get(key) ?? []), value]);
  }
  return map;
}
