// `postdesk demo` (the README's first minute) plays the whole loop through the real bin on a fresh
// data directory: two tickets, acknowledgements, the agent's notification, the agent's reply by mail
// with a #priority command, the relayed answer with the agent's signature, the follow-up in the same ticket.
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

interface TicketDetail {
  number: number;
  priority: string;
  customer: { email: string };
  messages: { direction: string; from: string; text: string }[];
}

describe('postdesk demo', () => {
  const data = path.join(tempDir('postdesk-demo-test-'), 'data');
  let stdout: string;
  let emls: string[];

  beforeAll(() => {
    const run = postdesk(['demo', '--data', data]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    stdout = run.stdout;
    emls = [...new Set(stdout.match(/\S+\.eml\b/g) ?? [])];
  });

  const json = (...args: string[]) => {
    const run = postdesk(['--data', data, '--json', ...args]);
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };
  const mailTo = async (address: string, containing: string) => {
    for (const file of emls) {
      const mail = await simpleParser(fs.readFileSync(file));
      if (mail.to && !Array.isArray(mail.to) && mail.to.value[0].address === address && mail.text?.includes(containing)) return mail;
    }
    throw new Error(`no printed .eml to ${address} containing "${containing}"`);
  };

  it('leaves two tickets, one per customer mail (English and Chinese)', () => {
    const tickets = json('tickets', 'list') as TicketDetail[];
    expect(tickets.map((t) => [t.number, t.customer.email]).sort()).toEqual([
      [1000, 'carol@customer.example'],
      [1001, 'wang.fang@customer.example'],
    ]);
  });

  it('prints the .eml of every mail it shows, and they exist: acknowledgements, notifications, the answer, the update', async () => {
    // 2 acknowledgements + 2 notifications + the relayed answer + the agent's update on the follow-up
    expect(emls).toHaveLength(6);
    for (const file of emls) expect(fs.existsSync(file), file).toBe(true);
    expect((await mailTo('carol@customer.example', 'Your request is #1000')).subject).toMatch(/^\[#1000\] We received your message/);
    expect((await mailTo('wang.fang@customer.example', '1001')).text).toContain('您的工单编号是 #1001');
    expect(stdout).toMatch(/We will reply within 24 hours, by \d\d:\d\d tomorrow \(UTC\)\./);
    expect((await mailTo('ann@example.com', 'New ticket 1000')).replyTo?.value[0].address).toMatch(/^support\+r\d+\.\d+\.[0-9a-f]+@example\.com$/);
  });

  it('relays the agent answer to the customer from the support address with the agent signature', async () => {
    const answer = await mailTo('carol@customer.example', 'please hold the filter button');
    expect(answer.from?.value[0]).toEqual({ address: 'support@example.com', name: 'Ann Lee' });
    expect(answer.text).toMatch(/\n-- \nAnn Lee\nsupport\s*$/);
    expect(answer.text).not.toContain('#priority');
    expect(answer.text).not.toContain('wrote:');
  });

  it('applies the agent command and files the follow-up in the same ticket', () => {
    const ticket = json('tickets', 'show', '1000') as TicketDetail;
    expect(ticket.priority).toBe('high');
    const fromCarol = ticket.messages.filter((m) => m.direction === 'in' && m.from === 'carol@customer.example');
    expect(fromCarol.map((m) => m.text)).toEqual([expect.stringContaining('red light'), expect.stringContaining('That worked')]);
    expect((json('tickets', 'show', '1001') as TicketDetail).priority).toBe('normal');
  });

  it('ends with the sla view and how to look around', () => {
    expect(stdout).toMatch(/^ {3}#1000 +ok +high +due /m);
    expect(stdout).toContain(`postdesk --data ${data} tickets show 1000`);
  });
});

describe('postdesk demo keeps to its own directory', () => {
  it('without --data: a new temporary directory, nothing in the current one', () => {
    const cwd = tempDir('postdesk-demo-cwd-');
    const run = postdesk(['demo'], { cwd });
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readdirSync(cwd)).toEqual([]);
    const dir = /^Postdesk demo in (\S+)$/m.exec(run.stdout)?.[1];
    expect(dir && fs.existsSync(path.join(dir, 'postdesk.sqlite'))).toBe(true);
    fs.rmSync(dir!, { recursive: true, force: true });
  });

  it('refuses a --data directory that is not empty, and leaves it as it was', () => {
    const dir = tempDir('postdesk-demo-full-');
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const run = postdesk(['demo', '--data', dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^postdesk: demo: .* is not empty/);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  });
});
