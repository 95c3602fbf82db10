// Decoded, normalized header facts: addresses lower-cased, ids without brackets, one-line subject,
// the mail's content hash, and a stable synthetic Message-ID for mail that has none.
import crypto from 'node:crypto';
import type { AddressObject, HeaderValue, ParsedMail } from 'mailparser';
import type { AddressValue } from '../../store/schema.ts';
import { QuarantineMail, required } from '../filter-failures.ts';
import type { DecodeFilter } from '../decode/decoded-mail.ts';

export const normalizeMail: DecodeFilter = {
  name: 'normalize',
  run(ctx) {
    const parsed = required(ctx.parsed, 'parsed');
    const from = firstUsableSender(parsed);
    if (!from) throw new QuarantineMail('no usable sender: no valid address in From, Reply-To or Sender');
    const referenceIds = messageIds(headerText(parsed.headers.get('references')));
    const inReplyTo = messageIds(headerText(parsed.headers.get('in-reply-to')))[0] ?? null;
    const subject = oneLine(parsed.subject ?? '');
    const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
    const contentHash = contentHashOf(ctx.raw, from.address, date, subject);
    ctx.mail = {
      messageId: messageIds(parsed.messageId ?? '')[0] ?? syntheticMessageId(contentHash),
      contentHash,
      inReplyTo,
      references: referenceIds,
      from,
      replyTo: addresses(parsed.replyTo),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      subject,
      date,
      headers: headerLines(parsed),
    };
  },
};

/**
 * What one mail keeps on every path it travels: sender, date, subject and the body bytes (line ends
 * aside). Not the header block, where each MTA adds its own (mbox From_ line, Received, Return-Path,
 * Delivered-To, X-Original-To, Delivery-date, Envelope-to).
 */
export function contentHashOf(raw: Buffer, from: string, date: Date | null, subject: string): string {
  const hash = crypto.createHash('sha256').update(`${from}\n${date?.toISOString() ?? ''}\n${subject}\n`);
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === 0x0a || raw[end - 1] === 0x0d || raw[end - 1] === 0x20)) end--;
  // CRLF and LF copies of a mail (SMTP against a Maildir file) hash the same.
  for (let at = bodyStart(raw); at < end; ) {
    const cr = raw.indexOf(0x0d, at);
    const stop = cr < 0 || cr > end ? end : cr;
    hash.update(raw.subarray(at, stop));
    at = stop + 1;
  }
  return hash.digest('hex');
}

/** Where the body begins: after the first empty line (the raw size when there is none). */
function bodyStart(raw: Buffer): number {
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\n\r\n');
  const ends = [lf < 0 ? Infinity : lf + 2, crlf < 0 ? Infinity : crlf + 3];
  return Math.min(raw.length, ...ends);
}

/** The Message-ID of a mail that has none (or reuses another mail's): derived from its content. */
export function syntheticMessageId(contentHash: string): string {
  return `${contentHash.slice(0, 40)}@synthetic.postdesk.invalid`;
}

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
