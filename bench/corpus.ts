// The benchmark corpus: every mail of the shared fixtures plus generated customer threads
// (multipart text + HTML, some attachments), so that the mix resembles a real support inbox.
import fs from 'node:fs';
import path from 'node:path';

const SHARED = path.resolve(import.meta.dirname, '../../shared/corpora');
const CORPORA = ['zammad', 'mailparser', 'postal-mime', 'cpython', 'flanker', 'rt', 'autoreply-bounce'];
const NOT_MAIL = /\.(json|ya?ml|js|py|md|png|wav)$|(^|\/)(LICENSE|README)[^/]*$/;

export function sharedFixtureMails(): Buffer[] {
  if (!fs.existsSync(SHARED)) return [];
  return CORPORA.flatMap((c) =>
    fs
      .readdirSync(path.join(SHARED, c), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => !/\/(tests|addresses)\//.test(f) && !NOT_MAIL.test(f))
      .sort()
      .map((f) => fs.readFileSync(f)),
  );
}

const PARAGRAPHS = [
  'Hello, my order arrived yesterday but the charger is missing from the box.',
  'I tried resetting the device as described in your FAQ, but the light keeps blinking red.',
  'Could you tell me when the replacement will ship? I need it before Friday.',
  '您好，我上周下的订单还没有发货，请问什么时候能到？',
  'Thanks for the quick answer, that solved it. One more question about the invoice though.',
];

/** One mail of a generated thread: message i of thread t, replying to the previous one. */
export function generatedMail(t: number, i: number): Buffer {
  const id = (k: number) => `<t${t}.m${k}@customer.bench.example>`;
  const body = PARAGRAPHS.slice(0, 2 + ((t + i) % 3)).join('\n\n');
  const boundary = `b${t}x${i}`;
  const attachment =
    (t + i) % 7 === 0
      ? [`--${boundary}`, 'Content-Type: application/pdf; name="invoice.pdf"', 'Content-Disposition: attachment; filename="invoice.pdf"', 'Content-Transfer-Encoding: base64', '', Buffer.alloc(6000, t).toString('base64').replace(/.{76}/g, '$&\r\n'), '']
      : [];
  return Buffer.from(
    [
      `From: Customer ${t} <customer${t}@bench.example>`,
      'To: support@example.com',
      `Subject: ${i ? 'Re: ' : ''}Order ${10000 + t} question`,
      `Date: Mon, 02 Nov 2026 ${String(8 + (i % 10)).padStart(2, '0')}:00:00 +0000`,
      `Message-ID: ${id(i)}`,
      ...(i ? [`In-Reply-To: ${id(i - 1)}`, `References: ${Array.from({ length: i }, (_, k) => id(k)).join(' ')}`] : []),
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      `Content-Type: multipart/alternative; boundary="${boundary}alt"`,
      '',
      `--${boundary}alt`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      `--${boundary}alt`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `<html><body>${body.split('\n\n').map((p) => `<p style="margin:0">${p}</p>`).join('')}<div class="gmail_quote">On Monday support wrote:<blockquote>Earlier answer</blockquote></div></body></html>`,
      `--${boundary}alt--`,
      ...attachment,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

/** At least `total` mails: the shared fixtures once, the rest generated threads of 4 mails. */
export function benchCorpus(total: number): Buffer[] {
  const mails = sharedFixtureMails();
  for (let n = 0; mails.length < total; n++) mails.push(generatedMail(Math.floor(n / 4), n % 4));
  return mails;
}
