// Suggested answers, end to end with the in-process SMTP server: a question the sample FAQ answers
// gets the answer in its acknowledgement (an unrelated one gets none), every match is recorded, the
// agent sees them with their #faq commands; "solved" / "已解决" (or the link in the acknowledgement)
// resolves the ticket as self-served without a breach; `#faq <slug>` answers with the entry.
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { listEvents } from '../../src/store/events.ts';
import { all, tablesOf } from '../../src/store/dialect.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { runSlaTick } from '../../src/sla/tick.ts';
import { ticketDetail } from '../../src/views/ticket-view.ts';
import type { CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskForSuite, flush, receive, replyToCaptured } from './desk.ts';

const HOUR = 60 * 60 * 1000;

describe('suggested answers', () => {
  const suite = deskForSuite();
  let customers = 0;

  /** A new customer writes; returns the ticket number, the acknowledgement and the agent's notification. */
  async function ask(subject: string, text: string) {
    const customer = `customer${++customers}@customer.example`;
    const result = await receive(suite.desk, buildMail({ from: customer, to: 'support@desk.example', subject, text }));
    await flush(suite.desk);
    const ack = suite.smtp.to(customer).at(-1)!;
    const notification = suite.smtp.to(AGENT.email).at(-1)!;
    return { customer, number: result.ticket!, ack, notification };
  }

  const matchesOf = async (number: number) => {
    const { db } = suite.desk;
    const { faqMatches } = tablesOf(db);
    return all(db.select().from(faqMatches).where(eq(faqMatches.ticketId, (await findTicketByNumber(db, number))!.id)).orderBy(faqMatches.rank));
  };

  async function reply(customer: string, to: CapturedMail, text: string) {
    const before = suite.smtp.mails.length;
    const result = await receive(suite.desk, replyToCaptured(to, { from: customer, text }));
    await flush(suite.desk);
    return { result, sent: suite.smtp.mails.slice(before) };
  }

  it('suggests the FAQ answer to a question it answers, with excerpt, link and a "solved" link', async () => {
    const { number, ack, notification } = await ask('Forgot my password', "Hi, I can't log in to the app any more, I forgot my password. How do I get a new one?");
    expect(ack.parsed.text).toContain('How do I reset my password?');
    expect(ack.parsed.text).toContain('https://help.desk.example/en/q/reset-password/');
    expect(ack.parsed.text).toContain('Forgot password?'); // the excerpt: the answer's first words
    expect(ack.parsed.html).toContain(`mailto:support@desk.example?subject=${encodeURIComponent(`[#${number}] solved reset-password`)}`);

    const matches = await matchesOf(number);
    expect(matches.length).toBeGreaterThan(1);
    expect(matches[0]).toMatchObject({ slug: 'reset-password', language: 'en', rank: 1, suggested: true });
    expect(matches.slice(1).every((m) => !m.suggested)).toBe(true);
    expect(matches[0].score).toBeGreaterThan(matches[1].score);

    // The agent sees the suggested one and the weaker ones, each with its command.
    expect(notification.parsed.text).toMatch(/#faq reset-password .*suggested/);
    expect(notification.parsed.text).toContain(`#faq ${matches[1].slug}`);
  });

  it('suggests nothing for a mail no FAQ entry answers, and still records what the search found', async () => {
    const { number, ack, notification } = await ask('Meeting next Tuesday', 'Hi Tom, can we move our lunch meeting next Tuesday to 1 pm? Thanks, Jane');
    expect(ack.parsed.text).not.toContain('/q/');
    expect(ack.parsed.text).not.toContain('solved');
    const matches = await matchesOf(number);
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((m) => !m.suggested)).toBe(true);
    expect(notification.parsed.text).not.toMatch(/suggested/);
  });

  it('suggests in the customer\'s language from the Chinese FAQ', async () => {
    const { number, ack } = await ask('忘记密码', '你好，我忘记密码了，登录不了 App，怎么重置密码？');
    expect(ack.parsed.text).toContain('忘记密码了，怎么重置？');
    expect(ack.parsed.text).toContain('https://help.desk.example/zh/q/reset-password/');
    expect((await matchesOf(number))[0]).toMatchObject({ slug: 'reset-password', language: 'zh', suggested: true });
  });

  describe.each([
    ['en', 'Forgot my password', 'I forgot my password, how do I reset it?', 'solved'],
    ['en', 'Forgot my password', 'I forgot my password, how do I reset it?', 'Thanks, that fixed it!'],
    ['zh', '忘记密码', '我忘记密码了，怎么重置密码？', '已解决'],
    ['zh', '忘记密码', '我忘记密码了，怎么重置密码？', '问题解决了，谢谢'],
  ])('%s: the customer answers "%s … %s"', (_lang, subject, text, answer) => {
    it('resolves the ticket as self-served with the suggestion, no acknowledgement, no breach', async () => {
      const { customer, number, ack } = await ask(subject, text);
      const { result, sent } = await reply(customer, ack, answer);
      expect(result).toMatchObject({ status: 'appended', ticket: number });
      expect(sent.filter((m) => m.envelope.to.includes(customer))).toEqual([]);
      const ticket = (await findTicketByNumber(suite.desk.db, number))!;
      expect(ticket).toMatchObject({ status: 'resolved', resolution: 'self-served', selfServedFaq: 'reset-password' });
      // What `tickets show --json` reports.
      expect(await ticketDetail(suite.desk, ticket)).toMatchObject({ resolution: 'self-served', selfServedFaq: 'reset-password' });
      expect((await listEvents(suite.desk.db, ticket.id, 'self-served')).map((e) => e.data)).toEqual([{ faq: 'reset-password', by: 'reply' }]);
      expect(ticket.dueAt).toBeNull(); // no clock runs any more
      suite.desk.clock.advance(72 * HOUR);
      await runSlaTick(suite.desk);
      expect(await listEvents(suite.desk.db, ticket.id, 'sla-breach')).toEqual([]);
    });
  });

  it('resolves as self-served by the mailto link, with the suggestion the link names', async () => {
    const { customer, number, ack } = await ask('Forgot my password', 'I forgot my password, how do I reset it?');
    const link = /mailto:([^"?]+)\?subject=([^"&]+)/.exec(ack.parsed.html as string)!;
    const result = await receive(suite.desk, buildMail({ from: customer, to: decodeURIComponent(link[1]), subject: decodeURIComponent(link[2]), text: '' }));
    await flush(suite.desk);
    expect(result).toMatchObject({ status: 'appended', ticket: number });
    expect(await findTicketByNumber(suite.desk.db, number)).toMatchObject({ status: 'resolved', resolution: 'self-served', selfServedFaq: 'reset-password' });
    expect(suite.smtp.to(customer).length).toBe(1);
  });

  it.each(['not solved', 'Solved? No, the link does not work.', '没有解决', '问题还没解决'])('does not resolve on "%s"', async (answer) => {
    const { customer, number, ack } = await ask('Forgot my password', 'I forgot my password, how do I reset it?');
    await reply(customer, ack, answer);
    expect(await findTicketByNumber(suite.desk.db, number)).toMatchObject({ status: 'new', resolution: null });
  });

  it('does not call a ticket without suggestions self-served', async () => {
    const { customer, number, ack } = await ask('Meeting next Tuesday', 'Can we move our lunch meeting next Tuesday to 1 pm?');
    await reply(customer, ack, 'solved');
    expect(await findTicketByNumber(suite.desk.db, number)).toMatchObject({ status: 'new', resolution: null });
  });

  it('takes mail as usual without a FAQ, and the ticket says why nothing was suggested', async () => {
    vi.stubEnv('POSTDESK_FAQ_DIR', '/nonexistent/faq');
    try {
      const { number, ack } = await ask('Forgot my password', 'I forgot my password, how do I reset it?');
      expect(ack.parsed.text).not.toContain('/q/');
      const ticket = (await findTicketByNumber(suite.desk.db, number))!;
      expect((await listEvents(suite.desk.db, ticket.id, 'faq-search-unavailable'))[0].data).toEqual({ reason: expect.stringContaining('/nonexistent/faq: FAQ directory not found') });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('#faq <slug> answers the customer with the entry: question, answer text and link', async () => {
    const { customer, notification } = await ask('Wifi', 'My purifier is offline, what can I do?');
    const before = suite.smtp.to(customer).length;
    await receive(suite.desk, replyToCaptured(notification, { from: `Ann Lee <${AGENT.email}>`, text: '#faq wifi-setup-fails\n\nHi, this should help.' }));
    await flush(suite.desk);
    expect(suite.smtp.to(customer).length).toBe(before + 1);
    const answer = suite.smtp.to(customer).at(-1)!;
    expect(answer.parsed.text).toContain('Hi, this should help.');
    expect(answer.parsed.text).toContain('The app cannot find my purifier or the Wi-Fi connection fails. What can I do?');
    expect(answer.parsed.text).toContain('Stand within 3 m of the purifier.');
    expect(answer.parsed.text).toContain('https://help.desk.example/en/q/wifi-setup-fails/');
    expect(answer.parsed.html).toContain('Stand within 3 m of the purifier.');
  });
});
