// Language choice (config default, stored per customer, detected from the first mail), the admin's
// template override directory, per-mailbox (brand) and per-agent signatures, and each email command.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { LANGUAGES, TEMPLATE_NAMES, renderTemplate, templateFile } from '../../src/outbound/templates.ts';
import { parseAgentReply } from '../../src/outbound/commands.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { findAgentByEmail } from '../../src/store/agents.ts';
import { findCustomer, updateCustomer } from '../../src/store/customers.ts';
import { listEvents } from '../../src/store/events.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { tempDir } from '../helpers/test-app.ts';
import { AGENT, SECOND_AGENT, deskWith, withDesk, flush, receive, replyToCaptured, type Desk } from './desk.ts';

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await SmtpCapture.start();
});
afterAll(() => smtp.down());

const lastTo = (address: string) => smtp.to(address).at(-1)!;

describe('templates', () => {
  it('exist for every message in every language (agent-reply has no words of its own) and render both parts', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      for (const name of TEMPLATE_NAMES) {
        for (const language of LANGUAGES) {
          const file = templateFile(desk, name, language);
          expect(file.endsWith(path.join(name === 'agent-reply' ? 'en' : language, `${name}.liquid`))).toBe(true);
          const out = renderTemplate(desk, name, language, { ticket: { number: 7, tag: '[#7]', subject: 'S' }, history: [], errors: ['x'], faqLinks: [] });
          expect(out.subject).not.toBe('');
          expect(out.text.trim()).not.toBe('');
          expect(out.html).toMatch(/^</);
        }
      }
    });
  });

  it('escapes customer text in the HTML part', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      const out = renderTemplate(desk, 'agent-new-ticket', 'en', { ticket: { number: 1 }, customer: { name: '<b>x</b>' }, message: { text: '<script>alert(1)</script>' }, history: [] });
      expect(out.html).not.toContain('<script>');
      expect(out.html).toContain('&lt;script&gt;');
      expect(out.text).toContain('<script>alert(1)</script>');
    });
  });

  it("uses a file from the admin's override directory, and the built-in one for the rest", async () => {
    const overrides = tempDir('postdesk-templates-');
    fs.mkdirSync(path.join(overrides, 'en'));
    fs.writeFileSync(path.join(overrides, 'en', 'acknowledgement.liquid'), '--- subject ---\nGot it: {{ ticket.subject }}\n--- text ---\nTicket {{ ticket.number }}, due {{ due }}.\n--- html ---\n<p>Ticket {{ ticket.number }}</p>\n');
    await withDesk(await deskWith(smtp, { outbound: { templatesDir: overrides } }), async (desk) => {
      await receive(desk, buildMail({ from: 'olga@customer.example', subject: 'Custom' }));
      await flush(desk);
      const ack = lastTo('olga@customer.example');
      expect(ack.parsed.subject).toBe('[#1000] Got it: Custom'); // the tag is added when a template leaves it out
      expect(ack.parsed.text).toMatch(/^Ticket 1000, due .+\.\n$/);
      expect(lastTo(AGENT.email).parsed.subject).toBe('[#1000] New ticket: Custom');
    });
  });
});

describe('language', () => {
  it('detects Chinese from the first mail, remembers it, and an admin can override it', async () => {
    await withDesk(await deskWith(smtp), async (desk) => {
      await receive(desk, buildMail({ from: 'wang@customer.example', subject: '空气净化器', text: '您好，我的空气净化器滤网指示灯一直亮着，怎么办？' }));
      await flush(desk);
      expect((await findCustomer(desk.db, 'wang@customer.example'))?.language).toBe('zh');
      expect(lastTo('wang@customer.example').parsed.subject).toBe('[#1000] 我们已收到您的来信：空气净化器');
      expect(lastTo('wang@customer.example').parsed.text).toContain('我们会在 24 小时内回复您');

      await receive(desk, buildMail({ from: 'wang@customer.example', subject: 'Second, in English', text: 'Another question in English.' }));
      await flush(desk);
      expect(lastTo('wang@customer.example').parsed.subject).toMatch(/^\[#1001\] 我们已收到您的来信/);

      await inTransaction(desk, async ({ db }) => updateCustomer(db, (await findCustomer(db, 'wang@customer.example'))!.id, { language: 'en' }));
      await receive(desk, buildMail({ from: 'wang@customer.example', subject: '第三个问题', text: '第三个问题' }));
      await flush(desk);
      expect(lastTo('wang@customer.example').parsed.subject).toBe('[#1002] We received your message: 第三个问题');
    });
  });

  it('falls back to the configured default', async () => {
    await withDesk(await deskWith(smtp, { language: 'zh' }), async (desk) => {
      await receive(desk, buildMail({ from: 'pat@customer.example', subject: 'Hello', text: 'Plain English.' }));
      await flush(desk);
      expect((await findCustomer(desk.db, 'pat@customer.example'))?.language).toBeNull();
      expect(lastTo('pat@customer.example').parsed.subject).toMatch(/^\[#1000\] 我们已收到您的来信/);
    });
  });
});

describe('signatures', () => {
  it('per mailbox (brand) when the agent has none, per agent when set', async () => {
    const desk = await deskWith(smtp, {
      mailboxes: [
        { name: 'nimbus', address: 'help@nimbus.example', signature: 'The Nimbus team ({{ agent.name }}) · #{{ ticket.number }} · {{ helpUrl }}' },
        { name: 'cirrus', address: 'care@cirrus.example', signature: 'Cirrus Care — {{ mailbox.name }}' },
      ],
      agents: [AGENT, { ...SECOND_AGENT, signature: 'Bob, {{ mailbox.name }} desk' }],
    });
    try {
      const cirrus = desk.mailboxes[1];
      await receive(desk, buildMail({ from: 'quinn@customer.example', to: 'help@nimbus.example', subject: 'Nimbus question' }));
      await ingestRawMail(desk, { source: 'test', mailbox: cirrus, raw: buildMail({ from: 'rita@customer.example', to: 'care@cirrus.example', subject: 'Cirrus question' }), receivedAt: desk.now() });
      await flush(desk);
      const nimbusNote = smtp.to(AGENT.email).find((m) => m.parsed.subject === '[#1000] New ticket: Nimbus question')!;
      const cirrusNote = smtp.to(SECOND_AGENT.email).find((m) => m.parsed.subject === '[#1001] New ticket: Cirrus question')!;
      expect(nimbusNote.parsed.replyTo?.value[0].address).toMatch(/^help\+r/);
      await receive(desk, replyToCaptured(nimbusNote, { from: AGENT.email, text: 'Nimbus answer.' }));
      await ingestRawMail(desk, { source: 'test', mailbox: cirrus, raw: replyToCaptured(cirrusNote, { from: SECOND_AGENT.email, text: 'Cirrus answer.' }), receivedAt: desk.now() });
      await flush(desk);
      const nimbusReply = lastTo('quinn@customer.example');
      expect(nimbusReply.parsed.from?.value[0].address).toBe('help@nimbus.example');
      expect(nimbusReply.parsed.text).toContain('The Nimbus team (Ann Lee) · #1000 · https://help.desk.example');
      const cirrusReply = lastTo('rita@customer.example');
      expect(cirrusReply.parsed.from?.value[0].address).toBe('care@cirrus.example');
      expect(cirrusReply.parsed.text).toContain('Bob, cirrus desk');
    } finally {
      await desk.close();
    }
  });

  it('by default: the agent name, the title only when the agent has one, and the mailbox name', async () => {
    await withDesk(await deskWith(smtp, { agents: [AGENT, SECOND_AGENT] }), async (desk) => {
      for (const [customer, agent] of [['uma@customer.example', AGENT], ['vic@customer.example', SECOND_AGENT]] as const) {
        await receive(desk, buildMail({ from: customer, subject: `Question of ${customer}` }));
        await flush(desk);
        const note = smtp.to(agent.email).find((m) => m.parsed.subject?.endsWith(`New ticket: Question of ${customer}`))!;
        await receive(desk, replyToCaptured(note, { from: agent.email, text: 'An answer.' }));
        await flush(desk);
      }
      expect(lastTo('uma@customer.example').parsed.text).toMatch(/\n-- \nAnn Lee, Support engineer\nsupport\s*$/);
      expect(lastTo('vic@customer.example').parsed.text).toMatch(/\n-- \nBob Marsh\nsupport\s*$/);
    });
  });
});

describe('email commands', () => {
  let desk: Desk;
  beforeAll(async () => {
    desk = await deskWith(smtp, { agents: [AGENT, SECOND_AGENT] });
    await receive(desk, buildMail({ from: 'sam@customer.example', subject: 'Commands' }));
    await flush(desk);
  });
  afterAll(() => desk.close());

  const notification = () => smtp.to(AGENT.email).filter((m) => m.parsed.subject?.startsWith('[#1000]')).at(-1)!;
  const ticket = async () => (await findTicketByNumber(desk.db, 1000))!;
  async function command(text: string) {
    await receive(desk, replyToCaptured(notification(), { from: AGENT.email, text }));
    await flush(desk);
  }

  it('#pending, #open, #priority and #assign change the ticket without mailing the customer', async () => {
    const before = smtp.to('sam@customer.example').length;
    await command('#pending');
    expect((await ticket()).status).toBe('pending');
    await command('#open\n#priority urgent\n#assign Bob Marsh');
    expect(await ticket()).toMatchObject({ status: 'open', priority: 'urgent', assigneeId: (await findAgentByEmail(desk.db, SECOND_AGENT.email))!.id });
    expect(smtp.to('sam@customer.example').length).toBe(before);
    expect((await listEvents(desk.db, (await ticket()).id, 'assigned'))[0].data).toMatchObject({ to: SECOND_AGENT.email, by: AGENT.email });
  });

  it('#faq adds the answer, its question and its help-center link to the reply', async () => {
    await command('#faq auto-mode\nThis explains it.');
    const reply = lastTo('sam@customer.example').parsed;
    expect(reply.text).toMatch(/^This explains it\.\n\nWhat are Auto mode and Night mode\?\n\n.+\n[^]*\n\nhttps:\/\/help\.desk\.example\/en\/q\/auto-mode\/\n/);
    expect(reply.html).toContain('href="https://help.desk.example/en/q/auto-mode/"');
  });

  it('#close without text sends the resolved / satisfaction mail', async () => {
    await command('#close');
    expect((await ticket()).status).toBe('resolved');
    expect(lastTo('sam@customer.example').parsed.subject).toBe('[#1000] Resolved: Commands');
    expect(lastTo('sam@customer.example').parsed.text).toContain('How did we do?');
  });

  it('reports malformed arguments to the agent', async () => {
    const before = smtp.to('sam@customer.example').length;
    await command('#priority soon\n#assign nobody@nowhere.example\n#faq Not A Slug\nText that must not go out.');
    expect(smtp.to('sam@customer.example').length).toBe(before);
    const error = lastTo(AGENT.email).parsed.text!;
    expect(error).toContain('#priority soon: must be one of low, normal, high, urgent');
    expect(error).toContain('#assign nobody@nowhere.example: no active agent "nobody@nowhere.example"');
    expect(error).toContain('#faq Not A Slug: needs an FAQ slug like reset-password');
  });

  it('parses #faq into a help-center link and leaves text lines alone', async () => {
    const lookups = { findAgent: async () => undefined, findFaq: async (slug: string) => (slug === 'reset-filter' ? { title: 'Reset the filter', url: 'https://help.example/en/q/reset-filter/', answer: 'Lift the lid.' } : undefined) };
    expect(await parseAgentReply('#faq reset-filter\n\nSee the link.\n#not a command here', lookups)).toEqual({
      commands: [{ name: 'faq', slug: 'reset-filter', title: 'Reset the filter', url: 'https://help.example/en/q/reset-filter/', answer: 'Lift the lid.' }],
      errors: [],
      body: 'See the link.\n#not a command here',
    });
    expect((await parseAgentReply('#faq missing-answer', lookups)).errors).toEqual(['#faq missing-answer: no FAQ answer "missing-answer"']);
  });
});
