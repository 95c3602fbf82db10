// Complaints and the follow-up, by email against a real SMTP server: a complaint (en, zh) gets its
// own ticket type, SLA policy (4 h) and a flagged notification; after it is resolved and the
// configured days have passed, the customer gets one follow-up mail; a reply to it reopens the
// ticket; a customer who rated 1–2 gets no follow-up until an agent has looked again — the agent
// gets a reminder instead. "No complaints" and quoted text make no complaint.
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { complaintMatcher } from '../../src/complaints/detect.ts';
import { configSchema } from '../../src/config/schema.ts';
import { runFollowUps } from '../../src/follow-up/send.ts';
import { buildReport, reportPeriod } from '../../src/reports/report.ts';
import { listEvents } from '../../src/store/events.ts';
import { findTicketByNumber, updateTicket } from '../../src/store/tickets.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskForSuite, deskWith, flush, receive, replyToCaptured, withDesk, type Desk } from './desk.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CUSTOMER = 'carol@customer.example';
const ZH_CUSTOMER = 'li.wei@customer.example';

describe('complaint recognition (configured words, negation, visible text)', () => {
  const matcher = complaintMatcher(configSchema.parse({}).complaints);

  it('finds the default words and phrases in English and Chinese and names them', () => {
    expect(matcher('This is unacceptable. I want to complain about your service.')).toEqual(['complain', 'unacceptable']);
    expect(matcher('Complaint: order 5531 arrived broken')).toEqual(['complaint']);
    expect(matcher('你们的服务太差了，我要投诉！')).toEqual(['投诉', '太差了']);
    expect(matcher('对这次维修很不满意')).toEqual(['不满意', '很不满']);
  });

  it('ignores a negated word: "no complaints", "nothing to complain", "没有投诉"', () => {
    expect(matcher('I have no complaints about the filter, but how do I order a spare one?')).toEqual([]);
    expect(matcher('Nothing to complain about, just a question on the invoice.')).toEqual([]);
    expect(matcher('我没有投诉的意思，只是想问一下怎么更换滤芯。')).toEqual([]);
    expect(matcher('这不是投诉，想问个问题')).toEqual([]);
    // A negation elsewhere in the sentence does not hide a real complaint.
    expect(matcher('The parcel did not arrive and your answer is unacceptable.')).toEqual(['unacceptable']);
    expect(matcher('快递没有送到，太差了')).toEqual(['太差了']);
  });

  it('takes the words from the configuration', () => {
    const custom = complaintMatcher(configSchema.parse({ complaints: { words: ['rip-off', '坑人'], negations: ['no'] } }).complaints);
    expect(custom('What a rip-off.')).toEqual(['rip-off']);
    expect(custom('这家店坑人')).toEqual(['坑人']);
    expect(custom('This is unacceptable')).toEqual([]);
  });
});

describe('a complaint by email: policy, flag, follow-up, reopen', () => {
  const suite = deskForSuite();
  const lastTo = (address: string): CapturedMail => suite.smtp.to(address).at(-1)!;

  it('makes a complaint ticket with the 4-hour policy, records the words and flags the notification', async () => {
    const received = suite.desk.now();
    const mail = buildMail({ from: `Carol <${CUSTOMER}>`, subject: 'Broken again', text: 'The filter broke for the third time. This is unacceptable.' });
    expect(await receive(suite.desk, mail)).toMatchObject({ status: 'created', ticket: 1000 });
    const ticket = (await findTicketByNumber(suite.desk.db, 1000))!;
    expect(ticket.type).toBe('complaint');
    expect(ticket.dueAt).toEqual(new Date(received.getTime() + 4 * HOUR));
    expect((await listEvents(suite.desk.db, ticket.id, 'complaint-detected')).map((e) => e.data)).toEqual([expect.objectContaining({ matched: ['unacceptable'] })]);

    await flush(suite.desk);
    const note = lastTo(AGENT.email);
    expect(note.parsed.subject).toBe('[#1000] [Complaint] New ticket: Broken again');
    expect(note.parsed.text).toContain('Complaint: the mail says "unacceptable"');
    // The customer's acknowledgement promises the complaint's due time.
    expect(lastTo(CUSTOMER).parsed.text).toContain('within 4 hours, by 13:00 today (UTC)');
  });

  it('schedules one follow-up when the complaint is resolved and sends it after 7 days, once', async () => {
    suite.desk.clock.advance(2 * HOUR);
    const close = replyToCaptured(lastTo(AGENT.email), { from: AGENT.email, text: '#close\nSorry, Carol. A new filter is on its way.' });
    await receive(suite.desk, close);
    const resolvedAt = suite.desk.now();
    const ticket = (await findTicketByNumber(suite.desk.db, 1000))!;
    expect(ticket.status).toBe('resolved');
    expect(ticket.followUpAt).toEqual(new Date(resolvedAt.getTime() + 7 * DAY));
    await flush(suite.desk);

    suite.desk.clock.advance(7 * DAY - 60_000);
    expect(await runFollowUps(suite.desk)).toEqual({ followUps: 0, reminders: 0, cancelled: 0 });
    suite.desk.clock.advance(2 * 60_000);
    const before = suite.smtp.to(CUSTOMER).length;
    expect(await runFollowUps(suite.desk)).toEqual({ followUps: 1, reminders: 0, cancelled: 0 });
    expect(await runFollowUps(suite.desk)).toEqual({ followUps: 0, reminders: 0, cancelled: 0 });
    await flush(suite.desk);
    expect(suite.smtp.to(CUSTOMER).length).toBe(before + 1);
    const followUp = lastTo(CUSTOMER);
    expect(followUp.parsed.subject).toBe('[#1000] Is everything still working? Broken again');
    expect(followUp.parsed.text).toContain('Is everything still working?');
    expect(followUp.headers('auto-submitted')).toEqual(['auto-generated']);
    expect((await findTicketByNumber(suite.desk.db, 1000))!.followUpSentAt).toEqual(suite.desk.now());
  });

  it('reopens the complaint when the customer answers the follow-up', async () => {
    suite.desk.clock.advance(3 * HOUR);
    const answer = replyToCaptured(lastTo(CUSTOMER), { from: `Carol <${CUSTOMER}>`, text: 'No, the new filter leaks too.' });
    expect(await receive(suite.desk, answer)).toMatchObject({ status: 'appended', ticket: 1000 });
    const ticket = (await findTicketByNumber(suite.desk.db, 1000))!;
    expect(ticket.status).toBe('open');
    await flush(suite.desk);
    expect(lastTo(AGENT.email).parsed.subject).toBe('[#1000] [Complaint] Customer replied: Broken again');
    // Sent once: resolving it again plans no second follow-up.
    await receive(suite.desk, replyToCaptured(lastTo(AGENT.email), { from: AGENT.email, text: '#close\nReplaced the whole unit.' }));
    const sentAt = (await findTicketByNumber(suite.desk.db, 1000))!.followUpSentAt;
    suite.desk.clock.advance(8 * DAY);
    expect(await runFollowUps(suite.desk)).toEqual({ followUps: 0, reminders: 0, cancelled: 0 });
    expect(await findTicketByNumber(suite.desk.db, 1000)).toMatchObject({ status: 'resolved', followUpSentAt: sentAt });
  });

  it('counts the complaint and its outcome in the report', async () => {
    const report = await buildReport(suite.desk, reportPeriod(suite.desk, 'month', new Date('2026-11-02T12:00:00Z')));
    expect(report.current.complaints).toEqual({
      received: 1,
      resolved: 1,
      resolveMedianMs: expect.any(Number),
      followUpsSent: 1,
      followUpsAnswered: 1,
      reopened: 1,
    });
    expect(report.current.complaints.resolveMedianMs).toBeGreaterThan(7 * DAY);
  });
});

describe('complaints in Chinese, low ratings and ordinary tickets', () => {
  it('recognises a Chinese complaint, flags it in Chinese and follows up in Chinese', async () => {
    const smtp = await SmtpCapture.start();
    await withDesk(await deskWith(smtp, { language: 'zh' }), async (desk) => {
      await receive(desk, buildMail({ from: `李伟 <${ZH_CUSTOMER}>`, subject: '维修问题', text: '你们的服务太差了，我要投诉！上周修好的洗衣机又坏了。' }));
      const ticket = (await findTicketByNumber(desk.db, 1000))!;
      expect(ticket.type).toBe('complaint');
      expect(ticket.dueAt).toEqual(new Date(desk.now().getTime() + 4 * HOUR));
      await flush(desk);
      const note = smtp.to(AGENT.email).at(-1)!;
      expect(note.parsed.subject).toBe('[#1000] 【投诉】新工单：维修问题');
      expect(note.parsed.text).toContain('投诉：邮件中有“投诉”、“太差了”');

      await receive(desk, replyToCaptured(note, { from: AGENT.email, text: '#close\n李先生，技术员明天上门。' }));
      desk.clock.advance(7 * DAY + 60_000);
      expect((await runFollowUps(desk)).followUps).toBe(1);
      await flush(desk);
      const followUp = smtp.to(ZH_CUSTOMER).at(-1)!;
      expect(followUp.parsed.subject).toBe('[#1000] 回访：一切都正常吗？维修问题');
      expect(followUp.parsed.text).toContain('现在一切都正常吗？');
    });
    await smtp.down();
  });

  it('makes no complaint of "no complaints", "没有投诉" or a complaint only in the quoted text', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      const mails = [
        { subject: 'Spare part', text: 'I have no complaints about the filter, but how do I order a spare one?' },
        { subject: '滤芯', text: '我没有投诉的意思，只是想问一下怎么更换滤芯。' },
        { subject: 'Re: order 4410', text: 'Could you tell me when it ships?\n\nOn Mon, 2 Nov 2026, Dan wrote:\n> This is unacceptable, I want to complain.\n' },
      ];
      for (const [i, m] of mails.entries()) {
        await receive(desk, buildMail({ from: `c${i}@customer.example`, ...m }));
        const ticket = (await findTicketByNumber(desk.db, 1000 + i))!;
        expect(ticket.type).toBe('question');
        expect(ticket.dueAt).toEqual(new Date(desk.now().getTime() + 24 * HOUR));
        expect(await listEvents(desk.db, ticket.id, 'complaint-detected')).toEqual([]);
      }
    });
  });

  it('sends the agent a reminder instead of the follow-up after a rating of 1–2, until an agent has looked again', async () => {
    const smtp = await SmtpCapture.start();
    await withDesk(await deskWith(smtp), async (desk) => {
      await receive(desk, buildMail({ from: CUSTOMER, subject: 'Late delivery', text: 'Three weeks late. Unacceptable.' }));
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: '#close\nIt was delivered today.' }));
      await flush(desk);
      // Helper E's rating by mail writes these columns; the customer is unhappy.
      desk.clock.advance(HOUR);
      const ticket = await inTransaction(desk, async ({ db }) => updateTicket(db, (await findTicketByNumber(db, 1000))!.id, { rating: 2, ratingComment: 'too slow', ratedAt: desk.now() }));

      desk.clock.advance(7 * DAY);
      const customerMails = smtp.to(CUSTOMER).length;
      const agentMails = smtp.to(AGENT.email).length;
      expect(await runFollowUps(desk)).toEqual({ followUps: 0, reminders: 1, cancelled: 0 });
      expect(await runFollowUps(desk)).toEqual({ followUps: 0, reminders: 0, cancelled: 0 });
      await flush(desk);
      expect(smtp.to(CUSTOMER).length).toBe(customerMails);
      expect(smtp.to(AGENT.email).length).toBe(agentMails + 1);
      const reminder = smtp.to(AGENT.email).at(-1)!;
      expect(reminder.parsed.subject).toBe('[#1000] [Complaint] Rated 2 of 5 — follow-up held: Late delivery');
      expect(reminder.parsed.text).toContain('too slow');
      expect((await findTicketByNumber(desk.db, 1000))!.followUpSentAt).toBeNull();

      // The agent looks again (a note on the ticket): the follow-up goes out on the next pass.
      desk.clock.advance(HOUR);
      await receive(desk, replyToCaptured(reminder, { from: AGENT.email, text: '#note\nCalled her; voucher sent.' }));
      expect(await runFollowUps(desk)).toEqual({ followUps: 1, reminders: 0, cancelled: 0 });
      await flush(desk);
      expect(smtp.to(CUSTOMER).at(-1)!.parsed.subject).toBe('[#1000] Is everything still working? Late delivery');
      expect(ticket.id).toBe((await findTicketByNumber(desk.db, 1000))!.id);
    });
    await smtp.down();
  });

  it('lets an agent correct the type by email: #type question / #type complaint re-targets the SLA clock', async () => {
    const smtp = await SmtpCapture.start();
    await withDesk(await deskWith(smtp), async (desk) => {
      const received = desk.now();
      await receive(desk, buildMail({ from: CUSTOMER, subject: 'Parcel', text: 'Where is my parcel? I ordered two weeks ago.' }));
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: '#type complaint' }));
      expect(await findTicketByNumber(desk.db, 1000)).toMatchObject({ type: 'complaint', dueAt: new Date(received.getTime() + 4 * HOUR) });
      expect((await listEvents(desk.db, (await findTicketByNumber(desk.db, 1000))!.id, 'type-changed')).map((e) => e.data)).toEqual([{ from: 'question', to: 'complaint', by: AGENT.email }]);
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: '#type question' }));
      expect(await findTicketByNumber(desk.db, 1000)).toMatchObject({ type: 'question', dueAt: new Date(received.getTime() + 24 * HOUR) });
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: '#type rant' }));
      await flush(desk);
      expect(smtp.to(AGENT.email).at(-1)!.parsed.text).toContain('#type rant: must be one of question, complaint');
    });
    await smtp.down();
  });

  it('follows up ordinary tickets only when configured, and drops a planned follow-up when the ticket reopens first', async () => {
    const smtp = await SmtpCapture.start();
    const closeByAgent = async (desk: Desk) => {
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email).at(-1)!, { from: AGENT.email, text: '#close' }));
    };
    await withDesk(await deskWith(smtp), async (desk) => {
      await receive(desk, buildMail({ from: CUSTOMER, subject: 'Question', text: 'How do I pair the app?' }));
      await closeByAgent(desk);
      expect(await findTicketByNumber(desk.db, 1000)).toMatchObject({ type: 'question', status: 'resolved', followUpAt: null });
    });
    await withDesk(await deskWith(smtp, { followUp: { types: ['question', 'complaint'], afterDays: 3 } }), async (desk) => {
      await receive(desk, buildMail({ from: CUSTOMER, subject: 'Question', text: 'How do I pair the app?', messageId: 'q@customer.example' }));
      await closeByAgent(desk);
      expect((await findTicketByNumber(desk.db, 1000))!.followUpAt).toEqual(new Date(desk.now().getTime() + 3 * DAY));
      // The customer writes again before the follow-up is due: reopened, nothing planned.
      desk.clock.advance(DAY);
      await receive(desk, buildMail({ from: CUSTOMER, subject: 'Re: Question', inReplyTo: 'q@customer.example', text: 'Still does not pair.' }));
      expect(await findTicketByNumber(desk.db, 1000)).toMatchObject({ status: 'open', followUpAt: null });
      // Resolved again: planned from the new resolution.
      await closeByAgent(desk);
      expect((await findTicketByNumber(desk.db, 1000))!.followUpAt).toEqual(new Date(desk.now().getTime() + 3 * DAY));
    });
    await smtp.down();
  });
});
