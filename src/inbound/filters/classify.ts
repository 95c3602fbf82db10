// Tells human mail from machine mail (RFC 3834 auto-replies, bounces, mailing lists), so that no
// acknowledgement is ever sent to a robot. The mail is still stored; the reasons go on the ticket event.
import { required, type Classification, type DecodeFilter, type MailClass } from '../context.ts';
import type { ParsedMail } from 'mailparser';

type Headers = Map<string, string[]>;

interface Rule {
  kind: MailClass;
  test(headers: Headers, parsed: ParsedMail, from: string): string | null;
}

const first = (h: Headers, name: string) => h.get(name)?.[0]?.trim();

function reportType(parsed: ParsedMail): string | undefined {
  const type = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return type?.value?.toLowerCase() === 'multipart/report' ? type.params?.['report-type']?.toLowerCase() : undefined;
}

const RULES: Rule[] = [
  {
    kind: 'bounce',
    test: (_h, parsed) => (reportType(parsed) === 'delivery-status' ? 'Content-Type: multipart/report; report-type=delivery-status' : null),
  },
  // Read receipts (RFC 8098) and abuse reports (RFC 5965) are machine mail too: never acknowledged.
  {
    kind: 'autoreply',
    test: (_h, parsed) => {
      const report = reportType(parsed);
      return report === 'disposition-notification' || report === 'feedback-report' ? `Content-Type: multipart/report; report-type=${report}` : null;
    },
  },
  { kind: 'bounce', test: (h) => (first(h, 'return-path') === '<>' ? 'Return-Path: <>' : null) },
  {
    kind: 'bounce',
    test: (_h, _p, from) => (/^(mailer-daemon|postmaster)@/i.test(from) ? `From: ${from}` : null),
  },
  {
    kind: 'autoreply',
    test: (h) => {
      const v = first(h, 'auto-submitted');
      return v && !/^no\b/i.test(v) ? `Auto-Submitted: ${v}` : null;
    },
  },
  {
    kind: 'autoreply',
    test: (h) => {
      const v = first(h, 'precedence');
      return v && /^(bulk|junk|list|auto_reply)$/i.test(v) ? `Precedence: ${v}` : null;
    },
  },
  ...['x-autoreply', 'x-autorespond', 'x-autoresponder'].map(
    (name): Rule => ({ kind: 'autoreply', test: (h) => (h.has(name) ? `${name}: ${first(h, name)}` : null) }),
  ),
  {
    kind: 'autoreply',
    test: (h) => {
      const v = first(h, 'x-auto-response-suppress');
      return v && /\b(all|autoreply|oof)\b/i.test(v) ? `X-Auto-Response-Suppress: ${v}` : null;
    },
  },
  ...['list-id', 'list-unsubscribe'].map(
    (name): Rule => ({ kind: 'list', test: (h) => (h.has(name) ? `${name}: ${first(h, name)}` : null) }),
  ),
];

export function classifyHeaders(headers: Headers, parsed: ParsedMail, from: string): Classification {
  const hits = RULES.map((rule) => ({ kind: rule.kind, reason: rule.test(headers, parsed, from) })).filter(
    (r): r is { kind: MailClass; reason: string } => r.reason !== null,
  );
  // A bounce outranks an auto-reply, which outranks a list: the strongest signal names the class.
  const order: MailClass[] = ['bounce', 'autoreply', 'list'];
  const kind = order.find((k) => hits.some((h) => h.kind === k)) ?? 'human';
  return { kind, reasons: hits.map((h) => h.reason) };
}

export const classifyMail: DecodeFilter = {
  name: 'classify',
  run(ctx) {
    const mail = required(ctx.mail, 'mail');
    ctx.classification = classifyHeaders(mail.headers, required(ctx.parsed, 'parsed'), mail.from.address);
  },
};
