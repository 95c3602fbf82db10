// Builds small RFC 5322 mails for tests: exact control over every header that threading reads.
export interface TestMail {
  from: string;
  to?: string;
  cc?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  date?: string;
  text?: string;
  headers?: Record<string, string>;
  /** Makes the mail multipart/mixed: the text, then each attachment in base64. */
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}

export function buildMail(m: TestMail): Buffer {
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to ?? 'support@example.com'}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    `Subject: ${m.subject ?? 'Question'}`,
    `Date: ${m.date ?? 'Mon, 02 Nov 2026 09:00:00 +0000'}`,
    ...(m.messageId === null ? [] : [`Message-ID: <${m.messageId ?? `${Math.random().toString(36).slice(2)}@customer.example`}>`]),
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references?.length ? [`References: ${m.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    ...(m.attachments ? ['Content-Type: multipart/mixed; boundary="b"', '', '--b'] : []),
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text ?? 'Hello, I have a question.',
    ...(m.attachments ?? []).flatMap((a) => [
      '--b',
      `Content-Type: ${a.contentType ?? 'application/octet-stream'}`,
      `Content-Disposition: attachment; filename="${a.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      a.content.toString('base64'),
    ]),
    ...(m.attachments ? ['--b--'] : []),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
