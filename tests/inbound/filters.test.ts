// One describe per inbound filter: each concern checked on its own.
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { inTransaction } from '../../src/app.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { QuarantineMail } from '../../src/inbound/filter-failures.ts';
import type { CommitFilter, MailContext } from '../../src/inbound/context.ts';
import { findQuarantine, rawOfQuarantined } from '../../src/store/quarantine.ts';
import { sha256 } from '../../src/store/pack-store.ts';
import { parseMail } from '../../src/inbound/filters/parse.ts';
import { messageIds, normalizeMail, oneLine, usableAddress } from '../../src/inbound/filters/normalize.ts';
import { sanitizeMailBody, sanitizeMailHtml } from '../../src/inbound/filters/sanitize.ts';
import { saveAttachments } from '../../src/inbound/filters/save-attachments.ts';
import { extractVisible } from '../../src/inbound/filters/visible-text.ts';
import { classifyMail } from '../../src/inbound/filters/classify.ts';
import { detectDuplicate } from '../../src/inbound/filters/detect-duplicate.ts';
import { identifySender } from '../../src/inbound/filters/identify-sender.ts';
import { subjectTagPattern, ticketNumberInSubject } from '../../src/inbound/filters/thread.ts';
import { listEvents } from '../../src/store/events.ts';
import { listMessages } from '../../src/store/messages.ts';
import { findRawMail } from '../../src/store/pack-lookup.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { buildMail, type TestMail } from '../helpers/mail.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
afterEach(() => app?.close());

function context(raw: Buffer): MailContext {
  return { app, source: 'unit', mailbox: app.mailboxes[0], raw, rawLocation: { pack: 'unit.pack', offset: 0, size: raw.length, sha256: 'f'.repeat(64) }, limits: app.config.ingest, agentAddresses: [], stores: { raw: app.raw, attachments: app.attachments }, receivedAt: app.now() };
}

async function prepared(mail: TestMail | Buffer): Promise<MailContext> {
  const ctx = context(Buffer.isBuffer(mail) ? mail : buildMail(mail));
  for (const f of [parseMail, normalizeMail, sanitizeMailBody, saveAttachments, extractVisible, classifyMail]) await f.run(ctx);
  return ctx;
}

/** Runs a commit filter as the pipeline does: in a transaction, with the transaction's App in the context. */
function commit(filter: CommitFilter, ctx: MailContext): Promise<void> {
  return inTransaction(app, async (tx) => {
    ctx.app = tx;
    try {
      await filter.run(ctx);
    } finally {
      ctx.app = app;
    }
  });
}

const multipart = (html: string, extra = '') =>
  Buffer.from(
    [
      'From: Ann <ann@customer.example>',
      'To: support@example.com',
      'Subject: html',
      'Message-ID: <h@c>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      extra,
      '--b--',
      '',
    ].join('\r\n'),
  );

describe('parse', () => {
  it('quarantines a mail over the size limit before parsing it', async () => {
    app = await testApp({ ingest: { maxMessageBytes: 100 } });
    await expect(parseMail.run(context(buildMail({ from: 'a@b.example', text: 'x'.repeat(200) })))).rejects.toThrow(/too large: \d+ bytes, the limit is 100/);
  });
});

describe('normalize', () => {
  it('lower-cases addresses, strips id brackets and folds the subject to one line', async () => {
    app = await testApp();
    const ctx = await prepared({ from: 'Ann Lee <ANN@Customer.Example>', subject: 'Hello', references: ['a@x', 'b@x'], inReplyTo: 'b@x', messageId: 'ID@c' });
    expect(ctx.mail).toMatchObject({ messageId: 'ID@c', from: { address: 'ann@customer.example', name: 'Ann Lee' }, references: ['a@x', 'b@x'], inReplyTo: 'b@x' });
  });

  it('gives a mail without Message-ID a stable synthetic one', async () => {
    app = await testApp();
    const raw = buildMail({ from: 'a@b.example', messageId: null });
    const ctx = await prepared(raw);
    expect(ctx.mail!.messageId).toMatch(/^[0-9a-f]{40}@synthetic\.postdesk\.invalid$/);
    // Not from the bytes an MTA adds on the way.
    const redelivered = await prepared(Buffer.concat([Buffer.from('Delivered-To: support@example.com\r\nReceived: from mx by mx; Mon, 02 Nov 2026 09:30:00 +0000\r\n'), raw]));
    expect(redelivered.mail!.messageId).toBe(ctx.mail!.messageId);
  });

  it('decodes encoded subjects in Chinese and Japanese charsets', async () => {
    app = await testApp();
    const gb = `=?GB2312?B?${Buffer.from([0xc4, 0xe3, 0xba, 0xc3]).toString('base64')}?=`; // 你好
    const iso2022 = '=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?='; // テスト
    expect((await prepared({ from: 'a@b.example', subject: gb })).mail!.subject).toBe('你好');
    expect((await prepared({ from: 'a@b.example', subject: iso2022 })).mail!.subject).toBe('テスト');
  });

  it('quarantines a mail with no usable sender', async () => {
    app = await testApp();
    const ctx = context(buildMail({ from: 'nobody' }));
    await parseMail.run(ctx);
    expect(() => normalizeMail.run(ctx)).toThrow(QuarantineMail);
  });

  it('extracts Message-IDs and single-line text', () => {
    expect(messageIds('<a@x>\r\n <b@x> <a@x>')).toEqual(['a@x', 'b@x']);
    expect(messageIds('bare@x')).toEqual(['bare@x']);
    expect(messageIds('garbage')).toEqual([]);
    expect(oneLine('a\r\n\tb  c')).toBe('a b c');
    expect(usableAddress('"Quoted Name"@example.com>')).toBe('"quoted name"@example.com');
    expect(usableAddress('not an address')).toBeNull();
  });
});

describe('sanitize', () => {
  // URLs in more detail: ./html-urls.test.ts.
  it('removes scripts, event handlers and javascript: links, and loads no remote image', () => {
    const dirty = '<p onclick="x()">Hi<script>alert(1)</script><img src="https://tracker.example/p.gif"><img src="cid:logo"><a href="javascript:alert(1)">x</a><a href="https://ok.example">ok</a></p>';
    const clean = sanitizeMailHtml(dirty);
    expect(clean).not.toMatch(/script|onclick| src="https:\/\/tracker|javascript/);
    expect(clean).toContain('src="cid:logo"');
    expect(clean).toContain('href="https://ok.example"');
  });

  it('derives plain text from HTML when the mail has no text part', async () => {
    app = await testApp();
    const ctx = await prepared(multipart('<p>Hello <b>there</b></p><ul><li>one</li></ul>'));
    expect(ctx.text).toMatch(/Hello there[\s\S]*one/);
    expect(ctx.html).toContain('<b>there</b>');
  });

  // A 3 MB exported report: converting it all took many times its size in memory. Inline, as `ingest -`
  // decodes, where no worker's memory limit applies.
  it('converts only the head of a huge body, says so, and keeps the raw mail whole', async () => {
    app = await testApp();
    const rows = Array.from({ length: 40_000 }, (_, i) => `<tr><td class="xl65">row ${i}</td><td class="xl65">Müller &amp; Søn</td></tr>`);
    const raw = multipart(`<table>${rows.join('\n')}</table>`);
    const log = Array.from({ length: 60_000 }, (_, i) => `09:00:00 line ${i} of the pasted log`).join('\n');
    const rawLog = buildMail({ from: 'ops@customer.example', text: log });
    for (const [mail, source] of [[raw, 'report.eml'], [rawLog, 'log.eml']] as const) {
      const result = await ingestRawMail(app, { source, mailbox: app.mailboxes[0], raw: mail, receivedAt: app.now() });
      const [message] = await listMessages(app.db, (await findTicketByNumber(app.db, result.ticket!))!.id);
      const notice = new RegExp(`\\[Postdesk: this body is [\\d.]+ MB; only its first 1\\.0 MB is shown\\. The whole mail is kept: postdesk raw ${message.rawSha256}\\]$`);
      expect(message.text).toMatch(notice);
      expect(message.text).toMatch(source === 'log.eml' ? /^09:00:00 line 0 / : /^row 0/);
      // The visible text is cut from that text (and shorter still: the quote rules read its first lines).
      for (const text of [message.text, message.visibleText]) {
        expect(text.length).toBeLessThan(1_001_000);
        expect(text).not.toMatch(/(row|line) 39999\b/);
      }
      expect((await app.raw.get((await findRawMail(app.db, message.rawSha256!))!)).equals(mail)).toBe(true);
    }
    const [report] = await listMessages(app.db, (await findTicketByNumber(app.db, 1000))!.id);
    expect(report.html?.length).toBeLessThan(1_001_000);
    expect(report.html).toMatch(/<\/table><p><em>\[Postdesk: this body is [\d.]+ MB; [^<]*\]<\/em><\/p>$/);
  });
});

describe('save-attachments', () => {
  // The naming rules: ./attachment-names.test.ts.
  it('keeps attachments in the attachment packs by sha256, with a safe filename', async () => {
    app = await testApp();
    const part = ['--b', 'Content-Type: application/pdf; name="../../etc/passwd"', 'Content-Disposition: attachment; filename="../../etc/passwd"', 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4').toString('base64'), ''].join('\r\n');
    const ctx = await prepared(multipart('<p>see attached</p>', part));
    expect(ctx.attachments).toHaveLength(1);
    const [saved] = ctx.attachments!;
    expect(saved).toMatchObject({ filename: 'passwd', contentType: 'application/pdf', location: { size: 8, sha256: sha256(Buffer.from('%PDF-1.4')) } });
    expect((await app.attachments.get(saved.location)).toString()).toBe('%PDF-1.4');
    expect(saved.originalFilename).toBe('../../etc/passwd');
  });
});

describe('visible-text', () => {
  it('keeps the reply and drops the quoted history', async () => {
    app = await testApp();
    const ctx = await prepared({ from: 'a@b.example', text: 'Thanks, that worked!\n\nOn Mon, Nov 2, 2026 at 9:00 AM Support <support@example.com> wrote:\n> Please restart the router.\n' });
    expect(ctx.visibleText).toBe('Thanks, that worked!');
  });
});

describe('classify', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['plain human mail', {}, 'human'],
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }, 'autoreply'],
    ['Auto-Submitted: no', { 'Auto-Submitted': 'no' }, 'human'],
    ['Precedence: bulk', { Precedence: 'bulk' }, 'autoreply'],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }, 'autoreply'],
    ['X-Auto-Response-Suppress: OOF', { 'X-Auto-Response-Suppress': 'OOF' }, 'autoreply'],
    ['List-Id', { 'List-Id': '<users.lists.example>' }, 'list'],
    ['Return-Path: <>', { 'Return-Path': '<>' }, 'bounce'],
  ];
  for (const [name, headers, kind] of cases) {
    it(`classifies ${name} as ${kind}`, async () => {
      app = await testApp();
      expect((await prepared({ from: 'a@b.example', headers })).classification!.kind).toBe(kind);
    });
  }

  it('classifies MAILER-DAEMON mail as a bounce', async () => {
    app = await testApp();
    expect((await prepared({ from: 'MAILER-DAEMON@mx.example' })).classification).toMatchObject({ kind: 'bounce', reasons: ['From: mailer-daemon@mx.example'] });
  });
});

describe('detect-duplicate and identify-sender', () => {
  it('stops at a stored Message-ID and recognizes agents by address', async () => {
    app = await testApp({ agents: [{ name: 'Bo', email: 'bo@example.com' }] });
    await ingestRawMail(app, { source: 'x', mailbox: app.mailboxes[0], raw: buildMail({ from: 'a@b.example', messageId: 'dup@c' }), receivedAt: app.now() });
    const again = await prepared({ from: 'a@b.example', messageId: 'dup@c' });
    await commit(detectDuplicate, again);
    expect(again.result).toMatchObject({ status: 'duplicate', ticket: 1000 });

    const fromAgent = await prepared({ from: 'Bo <BO@example.com>' });
    await commit(identifySender, fromAgent);
    expect(fromAgent.sender).toMatchObject({ role: 'agent' });
    const fromCustomer = await prepared({ from: 'Cy <cy@b.example>' });
    await commit(identifySender, fromCustomer);
    expect(fromCustomer.sender).toMatchObject({ role: 'customer' });
    expect(fromCustomer.messageKind).toBe('customer');
  });
});

describe('thread: subject tags', () => {
  it('finds the number only in the configured tag format', () => {
    expect(ticketNumberInSubject('Re: [#1042] Printer', '[#{number}]')).toBe(1042);
    expect(ticketNumberInSubject('Re: #1042 Printer', '[#{number}]')).toBeUndefined();
    expect(ticketNumberInSubject('AW: (Case 7) x', '(Case {number})')).toBe(7);
    expect(subjectTagPattern('[#{number}]').source).toBe('\\[#(\\d+)\\]');
  });
});

describe('record-events', () => {
  it('writes created and classified events', async () => {
    app = await testApp();
    await ingestRawMail(app, { source: 'x', mailbox: app.mailboxes[0], raw: buildMail({ from: 'a@b.example', headers: { Precedence: 'bulk' } }), receivedAt: app.now() });
    const t = (await findTicketByNumber(app.db, 1000))!;
    const types = (await listEvents(app.db, t.id)).map((e) => e.type);
    expect(types.filter((type) => type === 'created' || type === 'classified')).toEqual(['created', 'classified']);
    expect((await listEvents(app.db, t.id, 'classified'))[0].data).toMatchObject({ kind: 'autoreply', reasons: ['Precedence: bulk'] });
  });
});

describe('pipeline', () => {
  it('keeps the raw mail before parsing, and quarantines with the reason', async () => {
    app = await testApp({ ingest: { maxMessageBytes: 50 } });
    const raw = buildMail({ from: 'a@b.example' });
    const r = await ingestRawMail(app, { source: 'big.eml', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
    expect(r).toMatchObject({ status: 'quarantined', ticket: null, reason: expect.stringMatching(/too large/) });
    const kept = await app.raw.get(rawOfQuarantined((await findQuarantine(app.db, r.quarantineId!))!));
    expect(kept.equals(raw)).toBe(true);
    expect((await simpleParser(kept)).from?.value[0].address).toBe('a@b.example');
  });
});
