// Raw 8-bit headers (no RFC 2047 encoding) are decoded with the body's charset, else by detection,
// never into U+FFFD; the raw store keeps the bytes as they came.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { listMessages, type MessageRow } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { cleanEnv, jsonLines, postdesk, POSTDESK_BIN } from '../helpers/cli.ts';
import { corpusPath, describeWithSharedCorpora } from '../helpers/shared-corpora.ts';
import { cliDataDir, testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
afterEach(() => app?.close());

/** A mail whose header lines and body are given as bytes, joined with CRLF. */
function mail(head: (string | Buffer)[], body: string | Buffer): Buffer {
  const lines = head.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l, 'latin1'), Buffer.from('\r\n')]);
  return Buffer.concat([...lines, Buffer.from('\r\n'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\r\n')]);
}

const field = (name: string, value: Buffer) => Buffer.concat([Buffer.from(`${name}: `), value]);

async function ingested(raw: Buffer): Promise<MessageRow> {
  app = await testApp();
  const r = await ingestRawMail(app, { source: 'test', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
  expect(r.status).toBe('created');
  const [message] = await listMessages(app.db, (await findTicketByNumber(app.db, r.ticket!))!.id);
  return message;
}

describe('raw 8-bit headers', () => {
  // The shape of Zammad's test mail093 (not in ../shared/corpora): a Japanese client wrote the
  // subject in raw Shift_JIS, the HTML body in ISO-2022-JP (7-bit, so it cannot be the header's).
  it('reads a Shift_JIS subject beside an ISO-2022-JP body', async () => {
    const message = await ingested(
      mail(
        [
          'From: bar@example.org',
          'To: foo@example.com',
          field('Subject', Buffer.from([0x83, 0x63, 0x81, 0x5b, 0x83, 0x8b])),
          'MIME-Version: 1.0',
          'Content-Type: multipart/alternative; boundary="b1"',
          'Message-Id: <sjis@example.org>',
        ],
        ['--b1', 'Content-Type: text/html; charset=iso-2022-jp', 'Content-Transfer-Encoding: quoted-printable', '', '<p>=1B$B:#$J$i=1B(B</p>', '--b1--'].join('\r\n'),
      ),
    );
    expect(message.subject).toBe('ツール');
    expect(message.html).toContain('今なら');
  });

  it('decodes a GBK subject and sender name with the body charset', async () => {
    const message = await ingested(
      mail(
        [
          field('From', Buffer.concat([iconv.encode('王小明', 'gbk'), Buffer.from(' <wang@customer.example>')])),
          'To: support@example.com',
          field('Subject', iconv.encode('退款申请', 'gbk')),
          'Message-ID: <gbk@customer.example>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=gbk',
          'Content-Transfer-Encoding: 8bit',
        ],
        iconv.encode('你好，我想退款。', 'gbk'),
      ),
    );
    expect(message.subject).toBe('退款申请');
    expect(message.fromName).toBe('王小明');
    expect(message.fromAddress).toBe('wang@customer.example');
    expect(message.text.trim()).toBe('你好，我想退款。');
  });

  // No charset anywhere: the charset is detected from the 8-bit header values.
  const DETECTED: [string, string][] = [
    ['gbk', '退款申请'],
    ['big5', '退款申請'],
    ['shift_jis', 'お問い合わせ'],
    ['euc-jp', 'ツール'],
    ['euc-kr', '환불 요청'],
    ['windows-1251', 'Привет мир'],
  ];
  for (const [charset, subject] of DETECTED) {
    it(`detects a ${charset} subject when no charset is declared`, async () => {
      const raw = mail(['From: a@customer.example', 'To: support@example.com', field('Subject', iconv.encode(subject, charset)), `Message-ID: <${charset}@c>`], 'Hello');
      expect((await ingested(raw)).subject).toBe(subject);
    });
  }

  it('keeps raw UTF-8 headers (RFC 6532) as they are, beside a GBK one', async () => {
    const message = await ingested(
      mail(
        [
          field('From', Buffer.from('Jürgen Groß <j@customer.example>', 'utf8')),
          'To: support@example.com',
          field('Subject', iconv.encode('退款申请', 'gbk')),
          field('Cc', Buffer.from('王小明 <wang@customer.example>', 'utf8')),
          'Message-ID: <mixed@c>',
          'Content-Type: text/plain; charset=gbk',
        ],
        'Hello',
      ),
    );
    expect(message.fromName).toBe('Jürgen Groß');
    expect(message.subject).toBe('退款申请');
    expect(message.cc).toEqual([{ address: 'wang@customer.example', name: '王小明' }]);
  });

  it('keeps a raw UTF-8 subject even when the body is declared GBK', async () => {
    const raw = mail(['From: a@customer.example', field('Subject', Buffer.from('退款申请', 'utf8')), 'Message-ID: <utf8@c>', 'Content-Type: text/plain; charset=gbk'], 'Hello');
    expect((await ingested(raw)).subject).toBe('退款申请');
  });

  it('keeps the original bytes: postdesk raw gives back the mail as it came', async () => {
    const { args } = await cliDataDir();
    const raw = mail(['From: a@customer.example', 'To: support@example.com', field('Subject', iconv.encode('退款申请', 'gbk')), 'Message-ID: <kept@c>'], 'Hello');
    const run = postdesk(['ingest', '-', '--json', ...args], { input: raw });
    expect(run.stderr).toBe('');
    expect(jsonLines(run.stdout)[0]).toMatchObject({ status: 'created', ticket: 1000 });
    const shown = JSON.parse(postdesk(['tickets', 'show', '1000', '--json', ...args]).stdout);
    expect(shown.messages[0].subject).toBe('退款申请');
    const original = spawnSync(process.execPath, [POSTDESK_BIN, 'raw', shown.messages[0].raw, ...args], { env: cleanEnv() });
    expect(original.status).toBe(0);
    expect(original.stdout.equals(raw)).toBe(true);
  });
});

describeWithSharedCorpora('raw 8-bit headers of the shared corpora', () => {
  it('detects KOI8-R in a mail without any Content-Type (RT)', async () => {
    const message = await ingested(fs.readFileSync(corpusPath('rt/emails/russian-subject-no-content-type')));
    expect(message.subject).toBe('тест тест');
  });

  it('reads a Latin-1 sender name with the body charset (RT)', async () => {
    const message = await ingested(fs.readFileSync(corpusPath('rt/emails/new-ticket-from-iso-8859-1')));
    expect(message.fromName).toBe('Wilhelmsen Håvard');
  });

  it('reads mail labelled ISO-8859-1 as windows-1252, as browsers do (flanker)', async () => {
    const message = await ingested(fs.readFileSync(corpusPath('flanker/messages/spam/broken-headers.eml')));
    expect(message.subject).toBe('Forget Asking For A Link Exchange…');
  });

  it('keeps UTF-8 with one broken character as UTF-8 (flanker)', async () => {
    const message = await ingested(fs.readFileSync(corpusPath('flanker/messages/mailformed-headers.eml')));
    expect(message.fromName).toBe('Юникод запрещен\ufffd');
  });
});
