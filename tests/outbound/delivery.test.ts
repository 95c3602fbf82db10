// Delivery: SMTP down for a while → every mail arrives once it is back, none twice, always with the
// Message-ID fixed when it was queued; 5xx → failed with a ticket event and the agent told; no SMTP
// configured → readable .eml files in data/outbox-sent/; no header can be injected with CR/LF.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { checkedAddress, headerText } from '../../src/outbound/header-safety.ts';
import { retryDelayMs } from '../../src/outbound/sender.ts';
import { listEvents } from '../../src/store/events.ts';
import { claimNextOutbox, listOutbox } from '../../src/store/outbox.ts';
import { registerWorker, WORKER_TIMEOUT_MS } from '../../src/store/workers.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskWith, withDesk, flush, receive, replyToCaptured } from './desk.ts';

describe('SMTP outage', () => {
  let smtp: SmtpCapture;
  beforeAll(async () => {
    smtp = await SmtpCapture.start();
  });
  afterAll(() => smtp.down());

  it('retries with backoff while the server is down and delivers each mail exactly once after', async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      await smtp.down();
      await receive(desk, buildMail({ from: 'jo@customer.example', subject: 'During the outage' }));
      expect(await flush(desk)).toEqual({ sent: 0, retrying: 2, failed: 0 });
      expect(await flush(desk)).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet: backoff
      desk.clock.advance(retryDelayMs(1));
      expect(await flush(desk)).toEqual({ sent: 0, retrying: 2, failed: 0 });
      expect((await listOutbox(desk.db)).map((r) => r.attempts)).toEqual([2, 2]);

      await smtp.up();
      desk.clock.advance(retryDelayMs(2));
      expect(await flush(desk)).toEqual({ sent: 2, retrying: 0, failed: 0 });
      desk.clock.advance(60 * 60_000);
      expect(await flush(desk)).toEqual({ sent: 0, retrying: 0, failed: 0 });
      const queued = await listOutbox(desk.db);
      const delivered = smtp.mails.filter((m) => queued.some((r) => m.parsed.messageId === `<${r.messageId}>`));
      expect(delivered).toHaveLength(2);
      expect(queued.every((r) => r.status === 'sent')).toBe(true);
    });
  });

  it('after a crash mid-send the mail is sent again with the same Message-ID', async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      await receive(desk, buildMail({ from: 'kim@customer.example', subject: 'Crash' }));
      // A registered sender claimed both rows and died before recording the outcome.
      const leaseUntil = new Date(desk.now().getTime() + 5 * 60_000);
      await inTransaction(desk, async ({ db }) => {
        await registerWorker(db, { id: 'crashed', host: 'h', pid: 1, startedAt: desk.now() });
        while (await claimNextOutbox(db, 'crashed', desk.now(), leaseUntil));
      });
      expect(await flush(desk)).toEqual({ sent: 0, retrying: 0, failed: 0 }); // its heartbeat is recent
      desk.clock.advance(WORKER_TIMEOUT_MS);
      expect(await flush(desk)).toEqual({ sent: 2, retrying: 0, failed: 0 });
      for (const row of await listOutbox(desk.db)) expect(smtp.mails.filter((m) => m.parsed.messageId === `<${row.messageId}>`)).toHaveLength(1);
    });
  });

  it('gives up after outbound.retryHours', async () => {
    const desk = await deskWith(smtp, { outbound: { retryHours: 1 } });
    try {
      await smtp.down();
      await receive(desk, buildMail({ from: 'lee@customer.example', subject: 'Never arrives' }));
      await flush(desk);
      desk.clock.advance(61 * 60_000);
      // The agent's delivery-failure notice is queued and tried in the same pass (SMTP is still down).
      expect(await flush(desk)).toEqual({ sent: 0, retrying: 1, failed: 2 });
      const ticket = (await findTicketByNumber(desk.db, 1000))!;
      expect((await listEvents(desk.db, ticket.id, 'delivery-failed')).map((e) => e.data.recipient).sort()).toEqual([AGENT.email, 'lee@customer.example']);
    } finally {
      await desk.close();
      await smtp.up();
    }
  });
});

describe('permanent failure', () => {
  it('a 5xx answer fails the mail at once, records it and tells the agent', async () => {
    const smtp = await SmtpCapture.start({ refuse: (rcpt) => (rcpt === 'nobody@customer.example' ? 550 : undefined) });
    const desk = await deskWith(smtp);
    try {
      await receive(desk, buildMail({ from: 'nobody@customer.example', subject: 'Bad address' }));
      // The agent's new-ticket mail, and the delivery-failure notice queued in the same pass.
      expect(await flush(desk)).toEqual({ sent: 2, retrying: 0, failed: 1 });
      const ticket = (await findTicketByNumber(desk.db, 1000))!;
      expect((await listEvents(desk.db, ticket.id, 'delivery-failed'))[0].data).toMatchObject({ via: 'smtp', recipient: 'nobody@customer.example' });
      expect(smtp.to(AGENT.email).map((m) => m.parsed.subject)).toEqual(['[#1000] New ticket: Bad address', '[#1000] Delivery failed: Bad address']);
    } finally {
      await desk.close();
      await smtp.down();
    }
  });
});

describe('a refused password', () => {
  // A 535 is a 5xx, but about Postdesk's own setting, not the mail: fixing the password must
  // still deliver every mail (it failed them all, for good, at the first attempt).
  it('is retried like an outage, and every mail goes out once the password is right', async () => {
    const smtp = await SmtpCapture.start({ password: 'the-right-smtp-password' });
    try {
      await withDesk(await deskWith(undefined, { smtp: { ...smtp.config, user: 'desk', password: 'a-mistyped-smtp-password' } }), async (desk) => {
        await receive(desk, buildMail({ from: 'jo@customer.example', subject: 'Sent while the password was wrong' }));
        expect(await flush(desk)).toEqual({ sent: 0, retrying: 2, failed: 0 });
        expect((await listOutbox(desk.db)).map((r) => r.lastError)).toEqual([expect.stringMatching(/Invalid login/), expect.stringMatching(/Invalid login/)]);
      });
      await withDesk(await deskWith(undefined, { smtp: { ...smtp.config, user: 'desk', password: 'the-right-smtp-password' } }), async (desk) => {
        await receive(desk, buildMail({ from: 'jo@customer.example', subject: 'Sent with the right password' }));
        expect(await flush(desk)).toEqual({ sent: 2, retrying: 0, failed: 0 });
      });
    } finally {
      await smtp.down();
    }
  });
});

describe('header safety', () => {
  let smtp: SmtpCapture;
  beforeAll(async () => {
    smtp = await SmtpCapture.start();
  });
  afterAll(() => smtp.down());

  const b64 = (s: string) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;

  it('CR/LF in a customer name, a subject and an agent name produce no extra header', async () => {
    await withDesk(await deskWith(smtp, { agents: [{ ...AGENT, name: 'Ann\r\nBcc: spy@evil.example' }] }), async (desk) => {
      const injected = buildMail({
        from: `${b64('Mo\r\nBcc: spy@evil.example')} <mo@customer.example>`,
        subject: b64('Help\r\nBcc: spy@evil.example\r\nX-Injected: yes'),
      });
      await receive(desk, injected);
      await flush(desk);
      const note = smtp.to(AGENT.email).at(-1)!;
      await receive(desk, replyToCaptured(note, { from: AGENT.email, text: 'Answer.' }));
      await flush(desk);
      const toCustomer = smtp.to('mo@customer.example');
      expect(toCustomer).toHaveLength(2);
      for (const mail of [...toCustomer, note]) {
        expect(mail.headers('bcc')).toEqual([]);
        expect(mail.headers('x-injected')).toEqual([]);
        expect(mail.headers('subject')).toHaveLength(1);
        expect(mail.envelope.to).toHaveLength(1);
        const headerBlock = mail.raw.toString('utf8').split(/\r?\n\r?\n/)[0];
        expect(headerBlock).not.toMatch(/^(Bcc|X-Injected):/im);
      }
      expect(smtp.to('spy@evil.example')).toEqual([]);
      expect(toCustomer[1].parsed.from?.value[0].name).toBe('Ann Bcc: spy@evil.example');
    });
  });

  it('refuses addresses and flattens names that could break a header', () => {
    expect(() => checkedAddress('a@b.example\r\nBcc: c@d.example')).toThrow(/unsafe address/);
    expect(() => checkedAddress('<a@b.example>')).toThrow(/unsafe address/);
    expect(checkedAddress('A@B.example', 'Ann\nLee')).toEqual({ address: 'a@b.example', name: 'Ann Lee' });
    expect(headerText('a\r\n\tb\u2028c')).toBe('a b c');
  });
});

describe('without SMTP', () => {
  it('writes each mail as a readable .eml file to data/outbox-sent/', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      await receive(desk, buildMail({ from: 'ned@customer.example', subject: 'Local trial' }));
      expect(await flush(desk)).toEqual({ sent: 2, retrying: 0, failed: 0 });
      const dir = path.join(desk.config.dataDir, 'outbox-sent');
      const files = fs.readdirSync(dir).sort();
      expect(files).toEqual((await listOutbox(desk.db)).map((r) => `${r.messageId}.eml`).sort());
      const ack = await simpleParser(fs.readFileSync(path.join(dir, `${(await listOutbox(desk.db))[0].messageId}.eml`)));
      expect(ack.subject).toBe('[#1000] We received your message: Local trial');
      expect(ack.to).toMatchObject({ value: [{ address: 'ned@customer.example' }] });
    });
  });
});
