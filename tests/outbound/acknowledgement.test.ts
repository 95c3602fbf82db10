// The acknowledgement a customer gets for a new ticket, end to end through the in-process SMTP
// server: greeting and capitalisation in both languages, the number as #1042, a promise that is the
// ticket's real due time (hours and local time, the customer's zone when the mail tells it, else the
// mailbox's), the mailbox's display name and signature; and no dangling comma in an agent signature.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zoneOfDateHeader } from '../../src/outbound/customer-zone.ts';
import { greetingName } from '../../src/outbound/greeting.ts';
import { replyPromise } from '../../src/outbound/reply-promise.ts';
import { tidySignature } from '../../src/outbound/signature.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { tempDir } from '../helpers/test-app.ts';
import { AGENT, SECOND_AGENT, deskWith, flush, receive, replyToCaptured, withDesk } from './desk.ts';

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await SmtpCapture.start();
});
afterAll(() => smtp.down());

const HOUR = 3600_000;
const lastTo = (address: string) => smtp.to(address).at(-1)!;

/** Sends one mail to a fresh desk and returns the acknowledgement's text and the desk's ticket 1000. */
async function acknowledge(mail: Parameters<typeof buildMail>[0], config: Parameters<typeof deskWith>[1] = {}) {
  return withDesk(await deskWith(smtp, config), async (desk) => {
    await receive(desk, buildMail(mail));
    await flush(desk);
    const address = /<([^>]+)>/.exec(mail.from)?.[1] ?? mail.from;
    return { ack: lastTo(address), ticket: (await findTicketByNumber(desk.db, 1000))!, now: desk.now() };
  });
}

describe('the promise is the ticket’s real due time', () => {
  it('an urgent ticket (due in 4 h) promises 4 hours and that time, in the customer’s zone from the Date header', async () => {
    const { ack, ticket, now } = await acknowledge({
      from: 'Maria Gonzalez <maria@customer.example>',
      subject: 'URGENT: payment page down',
      text: 'This is urgent, our shop cannot take payments.',
      date: 'Mon, 02 Nov 2026 10:00:00 +0100',
    });
    expect(ticket.priority).toBe('urgent');
    expect(ticket.dueAt!.getTime() - now.getTime()).toBe(4 * HOUR); // 13:00 UTC
    const text = ack.parsed.text!;
    expect(text).toContain('We will reply within 4 hours, by 14:00 today (UTC+1).');
    expect(text).not.toContain('24 hours');
    expect(ack.parsed.html).toContain('within 4 hours, by <strong>14:00 today (UTC+1)</strong>');
  });

  it("an admin's template written for the old variables (replyWithinHours, due) promises the same due time", async () => {
    const overrides = tempDir('postdesk-templates-');
    fs.mkdirSync(path.join(overrides, 'en'));
    fs.writeFileSync(path.join(overrides, 'en', 'acknowledgement.liquid'), '--- subject ---\nGot it\n--- text ---\nWithin {{ replyWithinHours }} hours, by {{ due }}.\n--- html ---\n<p>x</p>\n');
    const { ack } = await acknowledge({ from: 'maria@customer.example', subject: 'Urgent!', text: 'Urgent.' }, { outbound: { templatesDir: overrides } });
    expect(ack.parsed.text).toBe('Within 4 hours, by 13:00 today (UTC).\n');
  });

  it('in the mailbox’s time zone when the mail does not tell the customer’s (-0000), in Chinese too', async () => {
    const { ack } = await acknowledge(
      { from: '王小明 <wang@customer.example>', subject: '紧急：无法付款', text: '紧急！我们的网店无法收款，请尽快处理。', date: 'Mon, 02 Nov 2026 09:00:00 -0000' },
      { mailboxes: [{ name: 'support', address: 'support@desk.example', timeZone: 'Asia/Shanghai' }] },
    );
    expect(ack.parsed.text).toContain('我们会在 4 小时内回复您，最迟于今天 21:00（GMT+8）。');
  });

  it('a normal ticket promises its policy’s 24 hours: tomorrow, at the same time', async () => {
    const { ack } = await acknowledge({ from: 'Maria Gonzalez <maria@customer.example>', subject: 'Filter light', date: 'Mon, 02 Nov 2026 09:00:00 +0000' });
    expect(ack.parsed.text).toContain('We will reply within 24 hours, by 09:00 tomorrow (UTC).');
  });

  it('a due time days away (business calendar over a weekend) is promised in days, on its weekday', async () => {
    const calendar = { timeZone: 'Europe/Berlin', hours: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] } };
    const desk = await deskWith(smtp, { timeZone: 'Europe/Berlin', sla: { calendars: { office: calendar }, policies: [{ firstResponseHours: 8, calendar: 'office' }] } });
    await withDesk(desk, async () => {
      desk.clock.set('2026-11-06T16:00:00Z'); // Friday 17:00 in Berlin, closing time
      await receive(desk, buildMail({ from: 'tom@customer.example', subject: 'Weekend question', date: 'Fri, 06 Nov 2026 16:00:00 +0000' }));
      await flush(desk);
      // Due Monday 17:00 Berlin (16:00 UTC): 72 hours away.
      expect(lastTo('tom@customer.example').parsed.text).toContain('We will reply within 3 days, by 17:00 on Monday 9 November (CET).');
    });
  });
});

describe('greeting, capitalisation and number', () => {
  it('English: the given name, a capital after the greeting, #1000', async () => {
    const { ack } = await acknowledge({ from: 'Maria Gonzalez <maria@customer.example>', subject: 'Filter light' });
    expect(ack.parsed.text).toMatch(/^Hello Maria,\n\nThank you for writing to us\. Your request is #1000\.\n/);
    expect(ack.parsed.html).toMatch(/^<p>Hello Maria,<\/p>\n<p>Thank you for writing to us\. Your request is <strong>#1000<\/strong>\./);
  });

  it('English: "Last, First" and shouting names are read as people write them; no name greets without one', async () => {
    expect((await acknowledge({ from: '"GONZALEZ, MARIA" <maria@customer.example>' })).ack.parsed.text).toMatch(/^Hello Maria,\n/);
    expect((await acknowledge({ from: 'maria@customer.example' })).ack.parsed.text).toMatch(/^Hello,\n\nThank you/);
    expect((await acknowledge({ from: '"maria@customer.example" <maria@customer.example>' })).ack.parsed.text).toMatch(/^Hello,\n/);
  });

  it('Chinese: the full name, 您好, #1000; no name: just 您好', async () => {
    const named = await acknowledge({ from: '王小明 <wang@customer.example>', subject: '滤网', text: '您好，我的空气净化器滤网指示灯一直亮着，怎么办？' });
    expect(named.ack.parsed.text).toMatch(/^王小明，您好：\n\n感谢您的来信。您的工单编号是 #1000。\n/);
    const anonymous = await acknowledge({ from: 'wang@customer.example', subject: '滤网', text: '您好，我的空气净化器滤网指示灯一直亮着，怎么办？' });
    expect(anonymous.ack.parsed.text).toMatch(/^您好：\n\n感谢您的来信。/);
  });
});

describe("the mailbox's display name and signature", () => {
  it('signs with the display name (also the From name) when the mailbox has no signature', async () => {
    const { ack } = await acknowledge(
      { from: 'Maria Gonzalez <maria@customer.example>', to: 'help@nimbus.example' },
      { mailboxes: [{ name: 'nimbus', address: 'help@nimbus.example', displayName: 'Nimbus Support' }] },
    );
    expect(ack.parsed.from?.value[0]).toEqual({ address: 'help@nimbus.example', name: 'Nimbus Support' });
    expect(ack.parsed.text).toMatch(/\n\nNimbus Support\n$/);
  });

  it("signs with the mailbox's signature; what it says of an agent is left out, with its separator", async () => {
    const { ack } = await acknowledge(
      { from: 'Maria Gonzalez <maria@customer.example>', to: 'help@nimbus.example' },
      { mailboxes: [{ name: 'nimbus', address: 'help@nimbus.example', displayName: 'Nimbus Support', signature: '{{ agent.name }} · The Nimbus team · {{ helpUrl }}' }] },
    );
    expect(ack.parsed.text).toMatch(/\n\nThe Nimbus team · https:\/\/help\.desk\.example\n$/);
  });

  it('without a display name: the mailbox name, capitalised', async () => {
    const { ack } = await acknowledge({ from: 'Maria Gonzalez <maria@customer.example>' });
    expect(ack.parsed.from?.value[0].name).toBe('Support');
    expect(ack.parsed.text).toMatch(/\n\nSupport\n$/);
  });
});

describe('a linked ticket', () => {
  it("a stranger answering another customer's ticket gets an acknowledgement with the new ticket's tag only", async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      await receive(desk, buildMail({ from: 'carol@customer.example', subject: 'Filter light', messageId: 'c1@customer.example' }));
      await flush(desk);
      const carolAck = lastTo('carol@customer.example');
      await receive(desk, buildMail({ from: 'eve@elsewhere.example', subject: carolAck.parsed.subject, inReplyTo: carolAck.parsed.messageId!.slice(1, -1) }));
      await flush(desk);
      const ack = lastTo('eve@elsewhere.example');
      // Ticket 1000's tag, as the stranger wrote it, stays readable as text but is no tag (see outbound/subject.ts).
      expect(ack.parsed.subject).toBe('[#1001] We received your message: #1000 We received your message: Filter light');
      expect(ack.parsed.subject!.match(/\[#\d+\]/g)).toEqual(['[#1001]']);
      expect(ack.parsed.text).toContain('Your request is #1001.');
      expect(ack.parsed.text).not.toContain('1000');
    });
  });
});

describe('agent signatures', () => {
  it('an agent without a title is signed without a dangling comma, also by a template that names the title', async () => {
    const signature = '{{ agent.name }}, {{ agent.title }}\n{{ mailbox.name }} · {{ helpUrl }}';
    await withDesk(await deskWith(smtp, { helpUrl: undefined, agents: [{ ...AGENT, signature }, { ...SECOND_AGENT, signature }] }), async (desk) => {
      for (const [customer, agent] of [['uma@customer.example', AGENT], ['vic@customer.example', SECOND_AGENT]] as const) {
        await receive(desk, buildMail({ from: customer, subject: `Question of ${customer}` }));
        await flush(desk);
        const note = smtp.to(agent.email).find((m) => m.parsed.subject?.endsWith(`New ticket: Question of ${customer}`))!;
        await receive(desk, replyToCaptured(note, { from: agent.email, text: 'An answer.' }));
        await flush(desk);
      }
      expect(lastTo('uma@customer.example').parsed.text).toMatch(/\n-- \nAnn Lee, Support engineer\nsupport\n$/);
      expect(lastTo('vic@customer.example').parsed.text).toMatch(/\n-- \nBob Marsh\nsupport\n$/);
    });
  });
});

describe('the parts, one by one', () => {
  it('rounds the promise as people say it: minutes up to the next five under the hour, hours under two days, then days', () => {
    const now = new Date('2026-11-02T09:00:00Z');
    const after = (ms: number) => replyPromise(new Date(now.getTime() + ms), now, 'UTC', 'en');
    expect(after(12 * 60_000)).toMatchObject({ amount: 15, unit: 'minutes', by: '09:12 today (UTC)' });
    expect(after(-HOUR)).toMatchObject({ amount: 5, unit: 'minutes' });
    expect(after(HOUR - 4 * 60_000)).toMatchObject({ amount: 1, unit: 'hours' });
    expect(after(4 * HOUR - 1000)).toMatchObject({ amount: 4, unit: 'hours' });
    expect(after(47 * HOUR)).toMatchObject({ amount: 47, unit: 'hours', by: '08:00 on Wednesday 4 November (UTC)' });
    expect(after(60 * HOUR)).toMatchObject({ amount: 3, unit: 'days' });
    expect(replyPromise(new Date('2026-11-06T01:00:00Z'), now, 'UTC+8', 'zh').by).toBe('11月6日（星期五）09:00（UTC+8）');
  });

  it('reads the customer’s zone from the Date header’s offset; ±0000 and zone names tell none', () => {
    expect(zoneOfDateHeader('Mon, 02 Nov 2026 10:00:00 +0100')).toBe('UTC+1');
    expect(zoneOfDateHeader('Mon, 02 Nov 2026 14:30:00 +0530 (IST)')).toBe('UTC+5:30');
    expect(zoneOfDateHeader('Mon, 2 Nov 2026 04:30:00 -0430')).toBe('UTC-4:30');
    for (const none of ['Mon, 02 Nov 2026 09:00:00 +0000', 'Mon, 02 Nov 2026 09:00:00 -0000', 'Mon, 02 Nov 2026 09:00:00 GMT', 'garbage', undefined]) {
      expect(zoneOfDateHeader(none)).toBeUndefined();
    }
  });

  it('greets by the given name in English and the full name in Chinese, as people write names', () => {
    expect(['Maria Gonzalez', 'GONZALEZ, MARIA', 'maria gonzalez', "jean-paul o'brien", 'Dr. Maria Gonzalez', 'Angus McDonald', '王小明'].map((n) => greetingName(n, 'en'))).toEqual([
      'Maria',
      'Maria',
      'Maria',
      'Jean-Paul',
      'Dr. Maria Gonzalez',
      'Angus',
      '王小明',
    ]);
    expect(['Maria Gonzalez', 'GONZALEZ, MARIA', '王小明'].map((n) => greetingName(n, 'zh'))).toEqual(['Maria Gonzalez', 'Maria Gonzalez', '王小明']);
    expect(['', null, 'maria@customer.example', '"  "', '12345'].map((n) => greetingName(n, 'en'))).toEqual(['', '', '', '', '']);
  });

  it('leaves no separator dangling in a signature where a value was empty', () => {
    expect(tidySignature('Bob Marsh, \nsupport · ')).toBe('Bob Marsh\nsupport');
    expect(tidySignature(' · The Nimbus team ·  · https://help.example')).toBe('The Nimbus team · https://help.example');
    expect(tidySignature('Ann Lee, Support engineer\n\nNimbus | +1 555-0100')).toBe('Ann Lee, Support engineer\n\nNimbus | +1 555-0100');
    expect(tidySignature('Ann Lee\n, \nNimbus')).toBe('Ann Lee\nNimbus');
  });
});
