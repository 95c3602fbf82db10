// The loop guard: no acknowledgement to robots (every RFC 3834 rule, bounces, lists, our own mail),
// at most outbound.maxAutoMailsPerHour per sender, bounces of our mail filed on their ticket, and
// two Postdesk instances pointed at each other stop after a bounded number of mails.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { newMessageId } from '../../src/outbound/tokens.ts';
import { listEvents } from '../../src/store/events.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { findTicketByNumber, updateTicket } from '../../src/store/tickets.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { tempDir, testClock } from '../helpers/test-app.ts';
import { corpusPath, describeWithSharedCorpora } from '../helpers/shared-corpora.ts';
import { withDesk, AGENT, deskWith, flush, receive, type Desk } from './desk.ts';

const acknowledgements = async (desk: Desk) => (await listOutbox(desk.db)).filter((r) => r.kind === 'acknowledgement');

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await SmtpCapture.start();
});
afterAll(() => smtp.down());

describeWithSharedCorpora('acknowledgements for the labelled bounce / auto-reply / human corpus', () => {
  const manifest = JSON.parse(fs.readFileSync(corpusPath('autoreply-bounce', 'manifest.json'), 'utf8')) as { file: string; label: string }[];

  it.each(manifest.map((e) => [e.file, e.label]))('%s (%s)', async (file, label) => {
    await withDesk(await deskWith(smtp), async (desk) => {
      const result = await receive(desk, fs.readFileSync(corpusPath('autoreply-bounce', file)));
      await flush(desk);
      const [acknowledgement] = await acknowledgements(desk);
      const sent = smtp.mails.filter((m) => m.parsed.subject?.includes('We received your message') && m.parsed.messageId === `<${acknowledgement?.messageId}>`);
      if (label === 'human') {
        expect(await acknowledgements(desk)).toHaveLength(1);
        expect(sent).toHaveLength(1);
      } else {
        expect(await acknowledgements(desk)).toHaveLength(0);
        // Stored all the same (or held in quarantine when unreadable), with the reason on the ticket.
        if (result.status === 'created') {
          const ticket = (await findTicketByNumber(desk.db, result.ticket!))!;
          expect((await listEvents(desk.db, ticket.id, 'acknowledgement-suppressed'))[0]?.data.reasons).not.toHaveLength(0);
        } else {
          expect(result.status).toBe('quarantined');
        }
      }
    });
  });
});

describe('loop-guard rules', () => {
  /** How many acknowledgements one mail gets from a fresh desk. */
  async function acknowledgementsFor(mail: (desk: Desk) => Buffer): Promise<number> {
    return withDesk(await deskWith(undefined), async (desk) => {
      await receive(desk, mail(desk));
      return (await acknowledgements(desk)).length;
    });
  }

  it.each<[string, Record<string, string>, number]>([
    ['a plain human mail', {}, 1],
    ['Auto-Submitted: no', { 'Auto-Submitted': 'no' }, 1],
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }, 0],
    ['Auto-Submitted: auto-generated', { 'Auto-Submitted': 'auto-generated' }, 0],
    ['Precedence: bulk', { Precedence: 'bulk' }, 0],
    ['Precedence: junk', { Precedence: 'junk' }, 0],
    ['Precedence: list', { Precedence: 'list' }, 0],
    ['Precedence: auto_reply', { Precedence: 'auto_reply' }, 0],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }, 0],
    ['X-Autorespond', { 'X-Autorespond': 'yes' }, 0],
    ['X-Autoresponder', { 'X-Autoresponder': 'yes' }, 0],
    ['X-Auto-Response-Suppress: All', { 'X-Auto-Response-Suppress': 'All' }, 0],
    ['X-Auto-Response-Suppress: AutoReply', { 'X-Auto-Response-Suppress': 'DR, AutoReply' }, 0],
    ['X-Auto-Response-Suppress: OOF', { 'X-Auto-Response-Suppress': 'OOF' }, 0],
    ['List-Id', { 'List-Id': '<users.lists.example>' }, 0],
    ['List-Unsubscribe', { 'List-Unsubscribe': '<mailto:leave@lists.example>' }, 0],
    ['Return-Path: <>', { 'Return-Path': '<>' }, 0],
    ['X-Loop naming our address', { 'X-Loop': 'support@desk.example' }, 0],
  ])('%s → %i acknowledgement(s)', async (_name, headers, expected) => {
    expect(await acknowledgementsFor(() => buildMail({ from: 'dana@customer.example', headers }))).toBe(expected);
  });

  it.each<[string, string, string | ((desk: Desk) => string) | undefined]>([
    ['MAILER-DAEMON sender', 'MAILER-DAEMON@mx.customer.example', undefined],
    ['postmaster sender', 'postmaster@customer.example', undefined],
    ['our own address as sender', 'support@desk.example', undefined],
    ['a Message-ID on our own domain', 'dana@customer.example', 'abc.123@desk.example'],
    ['a Message-ID carrying our signed token (any domain)', 'dana@customer.example', (desk) => newMessageId(desk.secret, 1000, 'elsewhere.example')],
  ])('%s → no acknowledgement', async (_name, from, messageId) => {
    expect(await acknowledgementsFor((desk) => buildMail({ from, messageId: typeof messageId === 'function' ? messageId(desk) : messageId }))).toBe(0);
  });

  /** A mail with these raw header lines on top (repeated names, comments, odd spacing as they are). */
  const withLines = (lines: string[], m: Partial<Parameters<typeof buildMail>[0]> = {}) =>
    Buffer.concat([Buffer.from(lines.map((l) => `${l}\r\n`).join('')), buildMail({ from: 'dana@customer.example', ...m })]);

  it.each<[string, string[], Partial<Parameters<typeof buildMail>[0]>?]>([
    ['Return-Path: < > (null, with a space)', ['Return-Path: < >']],
    ['Return-Path: <> with a comment', ['Return-Path: <> (null sender)']],
    ['Return-Path: <MAILER-DAEMON>', ['Return-Path: <MAILER-DAEMON>']],
    ['Return-Path: <postmaster@mx.customer.example>', ['Return-Path: <Postmaster@mx.customer.example>']],
    ['Precedence: bulk (autoresponder), a comment after the value', ['Precedence: bulk (autoresponder)']],
    ['Precedence: BULK', ['Precedence: BULK']],
    ['X-Precedence: junk', ['X-Precedence: junk']],
    ['a second Auto-Submitted header', ['Auto-Submitted: no', 'Auto-Submitted: auto-replied']],
    ['Auto-Submitted: Auto-Replied (vacation)', ['Auto-Submitted: Auto-Replied (vacation)']],
    ['Auto-Submitted with a leading comment and folding', ['Auto-Submitted: (robot)\r\n auto-generated']],
    ['Exchange: X-MS-Exchange-Generated-Message-Source', ['X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent']],
    ['Exchange: X-Auto-Response-Suppress on a reply', ['X-Auto-Response-Suppress: DR, RN, NRN'], { inReplyTo: 'unknown-1@desk.example', subject: 'RE: Question' }],
    ['Exchange: "Automatic reply:" with an inbox-rule loop header', ['X-MS-Exchange-Inbox-Rules-Loop: dana@customer.example'], { subject: 'Automatic reply: Question' }],
    ['Outlook: "Automatic reply:" answering a mail', [], { subject: 'Automatic reply: Question', inReplyTo: 'unknown-2@elsewhere.example' }],
    ['Outlook (Chinese): "自动回复:" answering a mail', [], { subject: '自动回复: 问题', inReplyTo: 'unknown-3@elsewhere.example' }],
    ['vacation program: X-Autogenerated: Reply', ['X-Autogenerated: Reply']],
    ['vacation program: X-Mail-Autoreply', ['X-Mail-Autoreply: dana@customer.example']],
    ['vacation program: X-AutoReply-From', ['X-AutoReply-From: dana@customer.example']],
    ['vacation program: X-FC-MachineGenerated', ['X-FC-MachineGenerated: true']],
    ['vacation program: X-POST-MessageClass', ['X-POST-MessageClass: 9; Autoresponder']],
    ['vacation program: Delivered-To: Autoresponder', ['Delivered-To: Autoresponder']],
  ])('%s → no acknowledgement', async (_name, lines, m) => {
    expect(await acknowledgementsFor(() => withLines(lines, m))).toBe(0);
  });

  it.each<[string, string[], Partial<Parameters<typeof buildMail>[0]>?]>([
    ['Auto-Submitted: No (a person wrote this)', ['Auto-Submitted: No (a person wrote this)']],
    ['Return-Path of the sender', ['Return-Path: <dana@customer.example>']],
    ['a subject "Automatic reply:" without any header sign', [], { subject: 'Automatic reply: stopped working' }],
    ['a subject "自动回复:" without any header sign', [], { subject: '自动回复: 不工作了' }],
    ['X-Auto-Response-Suppress: DR, RN on a new mail (not a reply)', ['X-Auto-Response-Suppress: DR, RN']],
    ['Precedence: first-class', ['Precedence: first-class']],
  ])('%s → acknowledged', async (_name, lines, m) => {
    expect(await acknowledgementsFor(() => withLines(lines, m))).toBe(1);
  });

  it('acknowledges a colleague on our own domain whose client names Message-IDs after that domain', async () => {
    expect(await acknowledgementsFor(() => buildMail({ from: 'colleague@desk.example', messageId: 'abc.123@desk.example' }))).toBe(1);
  });

  it('acknowledges at most 5 mails per sender per hour, and again after the hour', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      for (let i = 0; i < 8; i++) {
        await receive(desk, buildMail({ from: 'eager@customer.example', subject: `Question ${i}` }));
        desk.clock.advance(60_000);
      }
      expect(await acknowledgements(desk)).toHaveLength(5);
      const sixth = (await findTicketByNumber(desk.db, 1005))!;
      expect(String((await listEvents(desk.db, sixth.id, 'acknowledgement-suppressed'))[0].data.reasons)).toContain('rate limit');
      desk.clock.advance(60 * 60_000);
      await receive(desk, buildMail({ from: 'eager@customer.example', subject: 'Next hour' }));
      expect(await acknowledgements(desk)).toHaveLength(6);
    });
  });

  it("a customer's out-of-office reply does not reopen a resolved ticket", async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      const created = await receive(desk, buildMail({ from: 'fay@customer.example', messageId: 'f1@customer.example' }));
      const ticket = (await findTicketByNumber(desk.db, created.ticket!))!;
      await inTransaction(desk, ({ db }) => updateTicket(db, ticket.id, { status: 'resolved', resolvedAt: desk.now() }));
      const ack = (await acknowledgements(desk))[0];
      const ooo = buildMail({ from: 'fay@customer.example', subject: 'Out of office', inReplyTo: ack.messageId, headers: { 'Auto-Submitted': 'auto-replied' } });
      expect(await receive(desk, ooo)).toMatchObject({ status: 'appended', ticket: created.ticket });
      expect((await findTicketByNumber(desk.db, created.ticket!))!.status).toBe('resolved');
      expect(await acknowledgements(desk)).toHaveLength(1);
    });
  });
});

describe('bounces of our own mail', () => {
  function dsnFor(original: CapturedMail, action: 'failed' | 'delayed'): Buffer {
    const headers = original.raw.toString('utf8').split(/\r?\n\r?\n/)[0];
    return Buffer.from(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
        'To: support@desk.example',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.customer.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.customer.example',
        '',
        'Final-Recipient: rfc822; gone@customer.example',
        `Action: ${action}`,
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <gone@customer.example>: Recipient address rejected: User unknown',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        headers,
        '--B--',
        '',
      ].join('\r\n'),
    );
  }

  it('files the bounce on its ticket, records the failure and tells the agent', async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      const created = await receive(desk, buildMail({ from: 'gone@customer.example', subject: 'Where is my order?' }));
      await flush(desk);
      const ack = smtp.to('gone@customer.example').at(-1)!;
      const agentMails = smtp.to(AGENT.email).length;
      expect(await receive(desk, dsnFor(ack, 'failed'))).toMatchObject({ status: 'appended', ticket: created.ticket });
      await flush(desk);
      const ticket = (await findTicketByNumber(desk.db, created.ticket!))!;
      expect((await listEvents(desk.db, ticket.id, 'delivery-failed'))[0].data).toMatchObject({ via: 'bounce', recipient: 'gone@customer.example' });
      expect(await acknowledgements(desk)).toHaveLength(1);
      const notice = smtp.to(AGENT.email).slice(agentMails);
      expect(notice.map((m) => m.parsed.subject)).toEqual([`[#${created.ticket}] Delivery failed: Where is my order?`]);
      expect(notice[0].parsed.text).toContain('User unknown');
    });
  });

  it('records a delay notice without alarming anyone', async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      const created = await receive(desk, buildMail({ from: 'slow@customer.example', subject: 'Slow mail' }));
      await flush(desk);
      const before = smtp.mails.length;
      await receive(desk, dsnFor(smtp.to('slow@customer.example').at(-1)!, 'delayed'));
      await flush(desk);
      expect(smtp.mails.length).toBe(before);
      const ticket = (await findTicketByNumber(desk.db, created.ticket!))!;
      expect(await listEvents(desk.db, ticket.id, 'delivery-delayed')).toHaveLength(1);
      expect(await listEvents(desk.db, ticket.id, 'delivery-failed')).toHaveLength(0);
    });
  });
});

describe('two Postdesk instances pointed at each other', () => {
  /** Delivers every captured mail addressed to one desk's support address into that desk, until quiet. */
  async function exchange(desks: Desk[], start: number, rewrite: (raw: Buffer) => Buffer): Promise<number> {
    let seen = start;
    for (let round = 0; round < 50; round++) {
      for (const desk of desks) await flush(desk);
      const fresh = smtp.mails.slice(seen);
      seen = smtp.mails.length;
      const between = fresh.filter((m) => desks.some((d) => m.envelope.to.includes(d.mailboxes[0].address)));
      if (!between.length) return round;
      for (const mail of between) {
        const target = desks.find((d) => mail.envelope.to.includes(d.mailboxes[0].address))!;
        await receive(target, rewrite(mail.raw));
      }
    }
    throw new Error('the two desks never stopped mailing each other');
  }

  const count = (start: number, desks: Desk[]) =>
    smtp.mails.slice(start).filter((m) => desks.some((d) => m.envelope.to.includes(d.mailboxes[0].address))).length;

  it('stop at once: each recognises the other one’s machine mail', async () => {
    const a = await deskWith(smtp, { address: 'support@a.example' });
    const b = await deskWith(smtp, { address: 'support@b.example', tickets: { subjectTag: '[B-{number}]' } });
    try {
      const start = smtp.mails.length;
      // Somebody makes desk A believe desk B is a customer.
      await receive(a, buildMail({ from: 'support@b.example', to: 'support@a.example', subject: 'Hello A' }));
      await exchange([a, b], start, (raw) => raw);
      expect(count(start, [a, b])).toBe(1); // A's acknowledgement, which B files without answering
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('stay bounded by the per-sender limit even when a relay strips every loop header', async () => {
    const a = await deskWith(smtp, { address: 'support@a.example' });
    const b = await deskWith(smtp, { address: 'support@b.example', tickets: { subjectTag: '[B-{number}]' } });
    // The worst relay: it drops Auto-Submitted, X-Loop, threading headers and subject tags, and gives
    // a fresh Message-ID: only the per-sender limit is left to stop the two desks.
    const strip = (raw: Buffer) => {
      const [head, ...body] = raw.toString('utf8').split(/\r?\n\r?\n/);
      const kept = head
        .replace(/\r?\n[ \t]+/g, ' ')
        .split(/\r?\n/)
        .filter((l) => !/^(auto-submitted|x-auto-response-suppress|x-loop|in-reply-to|references|message-id):/i.test(l))
        .map((l) => (/^subject:/i.test(l) ? `Subject: ${Math.random().toString(36).slice(2)}` : l));
      return Buffer.from([...kept, `Message-ID: <${Math.random().toString(36).slice(2)}@relay.example>`].join('\r\n') + '\r\n\r\n' + body.join('\r\n\r\n'));
    };
    try {
      const start = smtp.mails.length;
      await receive(a, buildMail({ from: 'support@b.example', to: 'support@a.example', subject: 'Hello A' }));
      await exchange([a, b], start, strip);
      // Each side sends maxAutoMailsPerHour (5) acknowledgements to the other, then stops.
      expect(await acknowledgements(a)).toHaveLength(5);
      expect(await acknowledgements(b)).toHaveLength(5);
      expect(count(start, [a, b])).toBe(10);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('bursts', () => {
  it('a 100-mail burst from burst+N@ addresses gets at most 5 acknowledgements, and the agent one digest instead of 80 notifications', async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      const start = smtp.mails.length;
      for (let i = 0; i < 100; i++) await receive(desk, buildMail({ from: `Burst <burst+${i}@burst.example>`, subject: `Burst ${i}` }));
      await flush(desk);
      const sent = () => smtp.mails.slice(start);
      expect(sent().filter((m) => m.envelope.to[0].endsWith('@burst.example'))).toHaveLength(5);
      const suppressed = (await listEvents(desk.db, (await findTicketByNumber(desk.db, 1005))!.id, 'acknowledgement-suppressed'))[0];
      expect(String(suppressed.data.reasons)).toContain('burst@burst.example');
      // The first 20 notifications go out; the rest wait for the digest.
      expect(sent().filter((m) => m.envelope.to.includes(AGENT.email))).toHaveLength(20);
      desk.clock.advance(15 * 60_000);
      await flush(desk);
      const toAgent = sent().filter((m) => m.envelope.to.includes(AGENT.email));
      expect(toAgent).toHaveLength(21);
      const digest = toAgent.at(-1)!;
      expect(digest.parsed.subject).toMatch(/80 tickets/);
      expect(digest.parsed.text).toContain('[#1020] Burst 20');
      expect(digest.parsed.text).toContain('[#1099] Burst 99');
      expect(digest.parsed.text).not.toContain('[#1019]');
      expect(digest.headers('auto-submitted')).toEqual(['auto-generated']);
      // Nothing more once the digest is out, and the next mail after the burst is notified again.
      desk.clock.advance(15 * 60_000);
      await flush(desk);
      await receive(desk, buildMail({ from: 'calm@customer.example', subject: 'After the storm' }));
      await flush(desk);
      expect(sent().filter((m) => m.envelope.to.includes(AGENT.email)).map((m) => m.parsed.subject).slice(21)).toEqual(['[#1100] New ticket: After the storm']);
    });
  });

  it('acknowledges at most 30 mails per sender domain per hour', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      for (let i = 0; i < 35; i++) await receive(desk, buildMail({ from: `user${i}@crowd.example`, subject: `Crowd ${i}` }));
      expect(await acknowledgements(desk)).toHaveLength(30);
      const reasons = String((await listEvents(desk.db, (await findTicketByNumber(desk.db, 1030))!.id, 'acknowledgement-suppressed'))[0].data.reasons);
      expect(reasons).toContain('crowd.example');
      expect(reasons).toContain('outbound.maxAutoMailsPerDomainPerHour');
    });
  });

  it('held notifications survive a restart: the digest goes out from the reopened desk', async () => {
    const data = tempDir();
    const clock = testClock();
    const first = await deskWith(smtp, { outbound: { maxAgentNotificationsPerWindow: 2 } }, { clock, dataDir: data });
    const start = smtp.mails.length;
    for (let i = 0; i < 5; i++) await receive(first, buildMail({ from: `r${i}@restart.example`, subject: `Restart ${i}` }));
    await flush(first);
    await first.close();
    clock.advance(15 * 60_000);
    await withDesk(await deskWith(smtp, { outbound: { maxAgentNotificationsPerWindow: 2 } }, { clock, dataDir: data }), async (desk) => {
      await flush(desk);
      const toAgent = smtp.mails.slice(start).filter((m) => m.envelope.to.includes(AGENT.email));
      expect(toAgent).toHaveLength(3);
      expect(toAgent[2].parsed.subject).toMatch(/3 tickets/);
    });
  });
});
