// Bodies and headers in the charsets support mail really arrives in are decoded to Unicode.
import { afterEach, describe, expect, it } from 'vitest';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
afterEach(() => app?.close());

function mailIn(charset: string, body: number[], encodedSubject: string): Buffer {
  const head = [
    'From: a@customer.example',
    'To: support@example.com',
    `Subject: ${encodedSubject}`,
    `Message-ID: <${charset}@c>`,
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${charset}`,
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body), Buffer.from('\r\n')]);
}

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

// Byte sequences written out by hand, so the test does not depend on the decoder it checks.
const CASES: [string, number[], string][] = [
  ['gb2312', [0xc4, 0xe3, 0xba, 0xc3], '你好'],
  ['gbk', [0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xca, 0xc0, 0xbd, 0xe7], '你好，世界'],
  ['gb18030', [0xc4, 0xe3, 0xba, 0xc3], '你好'],
  ['big5', [0xa7, 0x41, 0xa6, 0x6e], '你好'],
  ['shift_jis', [0x83, 0x65, 0x83, 0x58, 0x83, 0x67], 'テスト'],
  ['iso-2022-jp', [0x1b, 0x24, 0x42, 0x25, 0x46, 0x25, 0x39, 0x25, 0x48, 0x1b, 0x28, 0x42], 'テスト'],
  ['windows-1252', [0x63, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x6f, 0x6b], 'café – ok'],
  ['windows-1251', [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2], 'Привет'],
  ['windows-1250', [0x8a, 0x9d, 0x61, 0x73, 0x74, 0x6e, 0xfd], 'Šťastný'],
];

describe('charsets', () => {
  for (const [charset, bytes, text] of CASES) {
    it(`decodes ${charset} in the subject and the body`, async () => {
      app = await testApp();
      const raw = mailIn(charset, bytes, `=?${charset}?B?${b64(bytes)}?=`);
      const r = await ingestRawMail(app, { source: charset, mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
      expect(r.status).toBe('created');
      const [message] = await listMessages(app.db, (await findTicketByNumber(app.db, r.ticket!))!.id);
      expect(message.subject).toBe(text);
      expect(message.text.trim()).toBe(text);
    });
  }
});
