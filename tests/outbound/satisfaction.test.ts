// Satisfaction by email, end to end against a real SMTP server: the resolving mail asks "How did we
// do?" with five survey links; a rating by link or by a short reply, in English or Chinese, is stored
// on the ticket (the last one counts), never reopens it and is never acknowledged; a stranger's
// rating counts for nothing. Then the same through the real CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents } from '../../src/store/events.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { postdesk } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { AGENT, deskWith, flush, receive, replyToCaptured, type Desk } from './desk.ts';

const CAROL = 'carol@customer.example';
const LI = 'li@customer.example';

/** The survey links of a mail: the subject each mailto link prefills, in order. */
function surveySubjects(mail: CapturedMail): string[] {
  const links = [...(mail.parsed.html || '').matchAll(/href="mailto:support@desk\.example\?subject=([^"]+)"/g)];
  return links.map((m) => decodeURIComponent(m[1].replace(/&amp;/g, '&')));
}

describe('satisfaction ratings by email', () => {
  let smtp: SmtpCapture;
  let desk: Desk;
  const lastTo = (address: string) => smtp.to(address).at(-1)!;
  const ticket = async (number: number) => (await findTicketByNumber(desk.db, number))!;
  const rated = async (number: number) => listEvents(desk.db, (await ticket(number)).id, 'rated');
  /** Receives a mail and sends what it caused; returns how many mails went to the address. */
  async function mailsCausedTo(address: string, raw: Buffer) {
    const before = smtp.to(address).length;
    const result = await receive(desk, raw);
    await flush(desk);
    return { result, mails: smtp.to(address).length - before };
  }

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    desk = await deskWith(smtp);
    await receive(desk, buildMail({ from: `Carol <${CAROL}>`, subject: 'Filter broken', text: 'My air filter shows a red light.' }));
    await receive(desk, buildMail({ from: `李雷 <${LI}>`, subject: '滤网报警', text: '您好，我的空气净化器一直亮红灯，怎么办？' }));
    await flush(desk);
  });
  afterAll(async () => {
    await desk.close();
    await smtp.down();
  });

  it('asks "How did we do?" with five survey links when an agent resolves without an answer', async () => {
    const notification = smtp.to(AGENT.email).find((m) => m.parsed.subject?.startsWith('[#1000]'))!;
    await mailsCausedTo(CAROL, replyToCaptured(notification, { from: AGENT.email, text: '#close' }));
    const resolved = lastTo(CAROL);
    expect(resolved.parsed.subject).toBe('[#1000] Resolved: Filter broken');
    expect(resolved.parsed.text).toContain('How did we do?');
    expect(resolved.parsed.text).toContain('mailto:support@desk.example?subject=%5B%231000%5D%20rating%205');
    expect(surveySubjects(resolved)).toEqual([1, 2, 3, 4, 5].map((n) => `[#1000] rating ${n}`));
    expect((await ticket(1000)).status).toBe('resolved');
  });

  it('greets and signs the resolved mail as the acknowledgement does, in both languages', async () => {
    const signature = (mail: CapturedMail) => mail.parsed.text!.trimEnd().split('\n').at(-1);
    for (const [from, subject, greeting] of [
      ['"GONZALEZ, MARIA" <maria@customer.example>', 'Lid cracked', 'Hello Maria,\n\nWe have marked your request #'],
      ['王小明 <wang@customer.example>', '盖子裂了', '王小明，您好：\n\n您的工单 #'],
    ]) {
      const address = from.replace(/.*<|>/g, '');
      const { result } = await mailsCausedTo(address, buildMail({ from, subject, text: subject }));
      const acknowledgement = lastTo(address);
      const notification = smtp.to(AGENT.email).find((m) => m.parsed.subject?.startsWith(`[#${result.ticket}]`))!;
      await mailsCausedTo(address, replyToCaptured(notification, { from: AGENT.email, text: '#close' }));
      const resolved = lastTo(address);
      expect(resolved.parsed.text).toContain(`${greeting}${result.ticket} `);
      expect(signature(resolved)).toBe(signature(acknowledgement));
      expect(resolved.parsed.html).toContain(`<p>${signature(acknowledgement)}</p>`);
    }
  });

  it('asks in Chinese, in the agent\'s resolving answer itself', async () => {
    const notification = smtp.to(AGENT.email).find((m) => m.parsed.subject?.startsWith('[#1001]'))!;
    const { mails } = await mailsCausedTo(LI, replyToCaptured(notification, { from: AGENT.email, text: '#close\n请更换滤网，红灯就会熄灭。' }));
    expect(mails).toBe(1);
    const answer = lastTo(LI);
    expect(answer.parsed.text).toMatch(/^请更换滤网，红灯就会熄灭。/);
    expect(answer.parsed.text).toContain('您对本次服务满意吗？');
    expect(surveySubjects(answer)).toEqual([1, 2, 3, 4, 5].map((n) => `[#1001] 评分 ${n}`));
  });

  it('records a rating by link once, with its comment, without reopening or answering', async () => {
    const link = buildMail({ from: CAROL, to: 'support@desk.example', subject: '[#1000] rating 2', messageId: 'rate-1@customer.example', text: 'It took three days.' });
    const agentMails = smtp.to(AGENT.email).length;
    const { result, mails } = await mailsCausedTo(CAROL, link);
    expect(result).toMatchObject({ status: 'appended', ticket: 1000 });
    expect(mails).toBe(0);
    expect(await ticket(1000)).toMatchObject({ status: 'resolved', rating: 2, ratingComment: 'It took three days.', dueAt: null });
    expect((await ticket(1000)).ratedAt).toEqual(desk.now());
    // The agents read the customer's words; a bare score (below) is not mailed to them.
    expect(smtp.to(AGENT.email).length).toBe(agentMails + 1);
    expect(lastTo(AGENT.email).parsed.text).toContain('It took three days.');
    // The same mail delivered again is a duplicate: still one rating.
    expect((await mailsCausedTo(CAROL, link)).result.status).toBe('duplicate');
    expect((await rated(1000)).map((e) => e.data)).toEqual([{ rating: 2, comment: 'It took three days.', via: 'link', from: CAROL, previous: null }]);
  });

  it('takes a later plain reply as the rating that counts', async () => {
    const resolvedMail = smtp.to(CAROL).find((m) => m.parsed.subject?.includes('Resolved'))!;
    const agentMails = smtp.to(AGENT.email).length;
    const { result, mails } = await mailsCausedTo(CAROL, replyToCaptured(resolvedMail, { from: `Carol <${CAROL}>`, text: 'Great, thanks!' }));
    expect(smtp.to(AGENT.email).length).toBe(agentMails);
    expect(result).toMatchObject({ status: 'appended', ticket: 1000 });
    expect(mails).toBe(0);
    expect(await ticket(1000)).toMatchObject({ status: 'resolved', rating: 5, ratingComment: null });
    expect((await rated(1000)).map((e) => e.data.rating)).toEqual([2, 5]);
  });

  it('records Chinese ratings by reply and by link, the last one counting', async () => {
    const answer = lastTo(LI);
    expect((await mailsCausedTo(LI, replyToCaptured(answer, { from: LI, text: '很好，谢谢！' }))).mails).toBe(0);
    expect(await ticket(1001)).toMatchObject({ status: 'resolved', rating: 5 });
    const link = buildMail({ from: LI, to: 'support@desk.example', subject: '[#1001] 评分 3', text: '滤网有点贵。' });
    expect((await mailsCausedTo(LI, link)).mails).toBe(0);
    expect(await ticket(1001)).toMatchObject({ status: 'resolved', rating: 3, ratingComment: '滤网有点贵。' });
    expect(await rated(1001)).toHaveLength(2);
  });

  it('does not count a stranger\'s rating: it opens a ticket of its own', async () => {
    const stranger = buildMail({ from: 'mallory@elsewhere.example', subject: '[#1000] rating 1' });
    const { result } = await mailsCausedTo('mallory@elsewhere.example', stranger);
    expect(result.status).toBe('created');
    expect(await ticket(1000)).toMatchObject({ rating: 5, status: 'resolved' });
    expect(await rated(1000)).toHaveLength(2);
    expect((await ticket(result.ticket!)).rating).toBeNull();
  });

  it('reopens as before for a reply that is not only a rating', async () => {
    const resolvedMail = smtp.to(CAROL).find((m) => m.parsed.subject?.includes('Resolved'))!;
    await mailsCausedTo(CAROL, replyToCaptured(resolvedMail, { from: CAROL, text: 'Great, but the red light is back this morning.' }));
    expect(await ticket(1000)).toMatchObject({ status: 'open', rating: 5 });
    expect(await rated(1000)).toHaveLength(2);
  });
});

describe('satisfaction ratings through the real CLI', () => {
  it('records a rating piped to `postdesk ingest` and shows it', async () => {
    const smtp = await SmtpCapture.start();
    const desk = await deskWith(smtp);
    const { dataDir, configPath } = desk.config;
    try {
      await receive(desk, buildMail({ from: CAROL, subject: 'Filter broken' }));
      await flush(desk);
      await receive(desk, replyToCaptured(smtp.to(AGENT.email)[0], { from: AGENT.email, text: '#close\nPlease replace the filter.' }));
      await flush(desk);
    } finally {
      await desk.close();
      await smtp.down();
    }
    const cli = (args: string[], input?: Buffer) => postdesk([...args, '--data', dataDir, '--config', configPath!, '--now', '2026-11-02T10:00:00Z'], { input });
    const queued = (to: string) => JSON.parse(cli(['outbox', 'list', '--json']).stdout).filter((m: { recipient: string }) => m.recipient === to).length;
    const [customerMails, agentMails] = [queued(CAROL), queued(AGENT.email)];
    const ingest = cli(['ingest', '-', '--json'], buildMail({ from: CAROL, subject: '[#1000] rating 4', text: 'Quick and friendly.' }));
    expect(ingest.stderr).toBe('');
    expect(JSON.parse(ingest.stdout)).toMatchObject({ status: 'appended', ticket: 1000 });
    expect(cli(['ingest', '-'], buildMail({ from: CAROL, subject: 'Re: [#1000] Filter broken', text: '不满意' })).status).toBe(0);
    // Rating words that are also complaint words (太差了): a rating still, no complaint, no new ticket.
    expect(cli(['ingest', '-'], buildMail({ from: CAROL, subject: 'Re: [#1000] Filter broken', text: '太差了' })).status).toBe(0);
    expect(cli(['ingest', '-'], buildMail({ from: CAROL, subject: 'Re: [#1000] Filter broken', text: '不满意' })).status).toBe(0);
    expect(queued(CAROL)).toBe(customerMails);
    // The agent hears of the rating with words, not of the bare score.
    expect(queued(AGENT.email)).toBe(agentMails + 1);
    expect(JSON.parse(cli(['tickets', 'list', '--json']).stdout)).toHaveLength(1);
    const show = JSON.parse(cli(['tickets', 'show', '1000', '--json']).stdout);
    expect(show).toMatchObject({ status: 'resolved', type: 'question', rating: { score: 2, comment: null, ratedAt: '2026-11-02T10:00:00.000Z' } });
    expect(cli(['tickets', 'show', '1000']).stdout).toContain('rated 2 of 5');
  });
});
