// Attachment names as an attacker or an odd mail client writes them: each becomes a name every
// agent's operating system can save and no one misreads, while the name as sent stays for display.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { safeFilename } from '../../src/inbound/attachment-name.ts';
import { listAttachments, listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { postdesk } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { cliDataDir } from '../helpers/test-app.ts';
import { deskWith, receive, withDesk } from '../outbound/desk.ts';

const safe = (name: string | undefined, index = 0, contentType = 'application/octet-stream') => safeFilename(name, index, contentType);
const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** Half a surrogate pair does not survive UTF-8: it comes back as U+FFFD. */
const validUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

describe('safe attachment names', () => {
  it('removes bidi controls and other format characters', () => {
    // Shown as "invoiceexe.pdf" by anything that honours the right-to-left override.
    expect(safe('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safe('a\u200Bb\u2066c\u2069\uFEFF\u00AD.txt')).toBe('abc.txt');
    expect(safe('\u200F\u061C\u202Areport.pdf\u202C')).toBe('report.pdf');
  });

  it('prefixes the names Windows reserves for devices, in any case, with or without an extension', () => {
    expect(safe('CON')).toBe('_CON');
    expect(safe('NUL.txt')).toBe('_NUL.txt');
    expect(safe('COM1')).toBe('_COM1');
    expect(safe('LPT1.pdf')).toBe('_LPT1.pdf');
    expect(safe('aux.tar.gz')).toBe('_aux.tar.gz');
    expect(safe('Prn.')).toBe('_Prn');
    expect(safe('lpt9 .log')).toBe('_lpt9 .log');
    for (const name of ['CONTRACT.pdf', 'COM10.txt', 'console.log', 'nullable.ts', 'LPT.pdf', 'my CON.txt']) expect(safe(name)).toBe(name);
  });

  it('removes trailing dots and spaces, leading dots and any folder', () => {
    expect(safe('report.pdf...')).toBe('report.pdf');
    expect(safe('report.pdf. . ')).toBe('report.pdf');
    expect(safe('notes. ')).toBe('notes');
    expect(safe('.bashrc')).toBe('bashrc');
    expect(safe('../../etc/passwd')).toBe('passwd');
    expect(safe('C:\\Users\\ann\\evil.bat')).toBe('evil.bat');
  });

  it('replaces the characters Windows forbids and control characters', () => {
    expect(safe('Q1: plan?.xlsx')).toBe('Q1_ plan_.xlsx');
    expect(safe('a\u0000b<c>.txt')).toBe('a_b_c_.txt');
    expect(safe('"quoted"|x*.txt')).toBe('_quoted__x_.txt');
    expect(safe('line\r\nbreak\u0085\u007f.txt')).toBe('line__break__.txt');
  });

  it('gives a name that is empty or only dots, spaces and format characters a fallback name', () => {
    expect(safe('', 2, 'image/png')).toBe('attachment-3.png');
    expect(safe(undefined, 0, 'application/pdf')).toBe('attachment-1.pdf');
    for (const name of ['...', ' . ', '\u202E', '\u200B\u200B', '/']) expect(safe(name, 0, 'text/plain')).toBe('attachment-1.plain');
  });

  it('cuts a long name to 200 bytes of UTF-8 at a character boundary, keeping the extension', () => {
    // An odd start puts 200 UTF-16 units in the middle of an emoji: cutting there left half a surrogate pair.
    const emoji = safe(`a${'😀'.repeat(300)}.pdf`);
    expect(validUtf8(emoji)).toBe(true);
    expect(utf8Bytes(emoji)).toBeLessThanOrEqual(200);
    expect(emoji).toMatch(/^a(😀)+\.pdf$/u);
    expect(utf8Bytes(emoji)).toBeGreaterThan(190);
    // A flag is two code points: it is kept whole or not at all.
    expect(safe(`${'🇫🇷'.repeat(100)}.pdf`)).toMatch(/^(🇫🇷){24}\.pdf$/u);
    const japanese = safe(`${'報告書'.repeat(40)}.docx`);
    expect(utf8Bytes(japanese)).toBeLessThanOrEqual(200);
    expect(japanese).toMatch(/^(報告書)+報?告?\.docx$/u);
    // Without an extension, and never ending in a space after the cut.
    const plain = safe(`${'x'.repeat(195)}      ${'y'.repeat(20)}`);
    expect(plain).toBe('x'.repeat(195));
    // A long "extension" is part of the name, not kept whole.
    expect(utf8Bytes(safe(`a.${'b'.repeat(300)}`))).toBeLessThanOrEqual(200);
  });

  it('is stable: a safe name stays as it is', () => {
    for (const name of ['invoice\u202Efdp.exe', 'CON', 'NUL.txt', 'report.pdf. . ', `a${'😀'.repeat(300)}.pdf`, 'Q1: plan?.xlsx', 'ok.pdf']) {
      expect(safe(safe(name))).toBe(safe(name));
    }
  });
});

describe('attachments through the pipeline', () => {
  it('stores the safe name and the name as sent', async () => {
    const long = `a${'😀'.repeat(300)}.pdf`;
    const names = ['invoice\u202Efdp.exe', 'CON', 'NUL.txt', 'COM1', 'LPT1.pdf', 'minutes...', long];
    const raw = buildMail({
      from: 'Mallory <mallory@customer.example>',
      to: 'support@desk.example',
      subject: 'Files',
      attachments: names.map((filename) => ({ filename, content: Buffer.from(filename) })),
    });
    await withDesk(await deskWith(undefined), async (desk) => {
      const result = await receive(desk, raw);
      expect(result.status).toBe('created');
      const [message] = await listMessages(desk.db, (await findTicketByNumber(desk.db, result.ticket!))!.id);
      const stored = (await listAttachments(desk.db, [message.id])).map((a) => ({ filename: a.filename, originalFilename: a.originalFilename }));
      expect(stored).toEqual(names.map((originalFilename) => ({ filename: safe(originalFilename), originalFilename })));
      expect(stored.slice(0, 6).map((a) => a.filename)).toEqual(['invoicefdp.exe', '_CON', '_NUL.txt', '_COM1', '_LPT1.pdf', 'minutes']);
    });
  });
});

/** The names of a zip's entries. */
function zipEntryNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('attachment names through the real CLI', () => {
  it('tickets show and customers export use the safe names; --json keeps the names as sent', async () => {
    const { dataDir: data, args } = await cliDataDir();
    const mail = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/hostile/attachment-names.eml'));
    expect(postdesk(['ingest', '-', ...args], { input: mail }).status).toBe(0);

    const [message] = JSON.parse(postdesk(['tickets', 'show', '1000', '--json', ...args]).stdout).messages;
    const attachments: { filename: string; originalFilename: string; sha256: string }[] = message.attachments;
    expect(attachments.slice(0, 6).map((a) => [a.filename, a.originalFilename])).toEqual([
      ['invoicefdp.exe', 'invoice\u202Efdp.exe'],
      ['_CON', 'CON'],
      ['_NUL.txt', 'NUL.txt'],
      ['_com1', 'com1'],
      ['_LPT1.pdf', 'LPT1.pdf'],
      ['minutes.docx', 'minutes.docx. . .'],
    ]);
    expect(attachments[6].originalFilename).toBe(`a${'😀'.repeat(300)}.pdf`);

    const text = postdesk(['tickets', 'show', '1000', ...args]).stdout;
    expect(text).toContain('[attachment] invoicefdp.exe (application/octet-stream');
    expect(text).toContain('[attachment] _CON (');
    expect(text).not.toContain('\u202E');

    const out = path.join(data, 'export.zip');
    expect(postdesk(['customers', 'export', 'mallory@cust.example', '--out', out, ...args]).status).toBe(0);
    const files = (await zipEntryNames(out)).filter((name) => name.startsWith('attachments/'));
    expect(files.sort()).toEqual(attachments.map((a) => `attachments/${a.sha256}-${a.filename}`).sort());
  });
});
