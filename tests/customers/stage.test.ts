// The customer's stage (prospect / new / existing): inferred from their tickets and first mail, set by
// configuration lists and domains, by `postdesk customers stage` (real CLI) and by an agent's `#stage`
// (end to end by mail); agent/command > config > inferred. Shown in the agents' notifications and
// `customers show`; each ticket keeps the stage its customer had when it opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { customerStage } from '../../src/customers/stage.ts';
import { findCustomer } from '../../src/store/customers.ts';
import { listEvents } from '../../src/store/events.ts';
import { findTicketByNumber, updateTicket } from '../../src/store/tickets.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { postdesk } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { testApp } from '../helpers/test-app.ts';
import { AGENT, deskWith, flush, receive, replyToCaptured, withDesk, type Desk } from '../outbound/desk.ts';

const DAY = 24 * 3600_000;

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await SmtpCapture.start();
});
afterAll(() => smtp.down());

const stageOf = async (desk: Desk, email: string) => customerStage(desk, (await findCustomer(desk.db, email))!);
const ticketStage = async (desk: Desk, number: number) => (await findTicketByNumber(desk.db, number))!.customerStage;

/** Opens a ticket for `from` and returns its number. */
async function ask(desk: Desk, from: string, subject: string, text = 'A question.'): Promise<number> {
  const result = await receive(desk, buildMail({ from, subject, text }));
  return result.ticket!;
}

function resolve(desk: Desk, number: number): Promise<void> {
  return inTransaction(desk, async ({ db }) => {
    await updateTicket(db, (await findTicketByNumber(db, number))!.id, { status: 'resolved', resolvedAt: desk.now() });
  });
}

describe('inferred stage', () => {
  it('no resolved ticket: prospect, unless the first mail is about an order or delivery (en and zh): new', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      expect(await ticketStage(desk, await ask(desk, 'pia@customer.example', 'Pricing', 'How much does the Pro plan cost per year?'))).toBe('prospect');
      expect(await ticketStage(desk, await ask(desk, 'ned@customer.example', 'Where is it?', 'My order 5521 has not been delivered yet.'))).toBe('new');
      expect(await ticketStage(desk, await ask(desk, 'wu@customer.example', '物流', '我的订单还没有发货，请帮忙查一下。'))).toBe('new');
      expect(await ticketStage(desk, await ask(desk, 'ola@customer.example', 'Tracking number?', 'Could you send it please?'))).toBe('new');
      // The first mail counts, not the latest: a prospect's second question about an order leaves them a prospect.
      expect(await ticketStage(desk, await ask(desk, 'pia@customer.example', 'Order', 'I want to order now, how?'))).toBe('prospect');
      expect(await stageOf(desk, 'pia@customer.example')).toEqual({ stage: 'prospect', source: 'inferred' });
    });
  });

  it('first resolved ticket within newForDays (default 90): new; later: existing; the ticket keeps the stage it opened with', async () => {
    await withDesk(await deskWith(undefined), async (desk) => {
      const first = await ask(desk, 'eli@customer.example', 'Pricing', 'What does it cost?');
      await resolve(desk, first);
      expect(await stageOf(desk, 'eli@customer.example')).toEqual({ stage: 'new', source: 'inferred' });
      desk.clock.advance(89 * DAY);
      const second = await ask(desk, 'eli@customer.example', 'Filter', 'The light is on.');
      expect(await ticketStage(desk, second)).toBe('new');
      desk.clock.advance(2 * DAY);
      expect((await stageOf(desk, 'eli@customer.example')).stage).toBe('existing');
      const third = await ask(desk, 'eli@customer.example', 'Filter again', 'The light is on again.');
      expect(await ticketStage(desk, third)).toBe('existing');
      expect([await ticketStage(desk, first), await ticketStage(desk, second), await ticketStage(desk, third)]).toEqual(['prospect', 'new', 'existing']);
      expect(await findCustomer(desk.db, 'eli@customer.example')).toMatchObject({ stage: 'existing', stageSetBy: null });
    });
  });

  it('customers.newForDays sets the period', async () => {
    await withDesk(await deskWith(undefined, { customers: { newForDays: 10 } }), async (desk) => {
      await resolve(desk, await ask(desk, 'eli@customer.example', 'Pricing'));
      desk.clock.advance(11 * DAY);
      expect((await stageOf(desk, 'eli@customer.example')).stage).toBe('existing');
    });
  });
});

describe('configured stage', () => {
  const customers = { stages: { existing: ['acme.example', 'bob@x.example'], prospect: ['@leads.example'] } };

  it('by address and by domain (and its subdomains), above the inferred stage', async () => {
    await withDesk(await deskWith(undefined, { customers }), async (desk) => {
      expect(await ticketStage(desk, await ask(desk, 'alice@acme.example', 'Pricing'))).toBe('existing');
      expect(await ticketStage(desk, await ask(desk, 'Bob@X.example', 'Pricing'))).toBe('existing');
      expect(await ticketStage(desk, await ask(desk, 'carl@eu.acme.example', 'Pricing'))).toBe('existing');
      expect(await ticketStage(desk, await ask(desk, 'dora@leads.example', 'Order', 'Where is my order?'))).toBe('prospect');
      expect(await ticketStage(desk, await ask(desk, 'carol@x.example', 'Pricing'))).toBe('prospect');
      expect(await ticketStage(desk, await ask(desk, 'zed@notacme.example', 'Pricing'))).toBe('prospect');
      expect(await stageOf(desk, 'alice@acme.example')).toEqual({ stage: 'existing', source: 'config' });
      expect(await findCustomer(desk.db, 'alice@acme.example')).toMatchObject({ stage: 'existing', stageSetBy: 'config' });
    });
  });

  it('a wrong entry is a configuration error', async () => {
    await expect(testApp({ customers: { stages: { existing: ['not an address'] } } } as never)).rejects.toThrow(/customers\.stages\.existing/);
    await expect(testApp({ customers: { stages: { vip: ['a.example'] } } } as never)).rejects.toThrow(/customers\.stages/);
  });
});

describe('`postdesk customers stage` and `customers show` (real CLI)', () => {
  it('sets the stage over the configured one, shows it, returns to automatic, and fails in one line', async () => {
    const app = await testApp({ customers: { stages: { existing: ['acme.example'] } } });
    await receive(app, buildMail({ from: 'Alice <alice@acme.example>', subject: 'Pricing' }));
    const cli = (...args: string[]) => postdesk(['--data', app.config.dataDir, '--config', app.config.configPath!, ...args]);
    await app.close();

    const shown = cli('customers', 'show', 'alice@acme.example');
    expect(shown.stdout.split('\n')[0]).toBe('Alice <alice@acme.example>, stage existing (configured), customer since 2026-11-02T09:00:00.000Z');
    expect(shown.stdout).toContain('#1000  new      2026-11-02T09:00:00.000Z  existing  Pricing');

    const set = cli('customers', 'stage', 'ALICE@acme.example', 'prospect');
    expect([set.status, set.stderr, set.stdout]).toEqual([0, '', 'alice@acme.example: stage prospect (set by command)\n']);
    const json = JSON.parse(cli('customers', 'show', 'alice@acme.example', '--json').stdout);
    expect(json).toMatchObject({ stage: 'prospect', stageSource: 'command', tickets: [{ number: 1000, customerStage: 'existing' }] });

    const auto = cli('customers', 'stage', 'alice@acme.example', 'auto', '--json');
    expect(JSON.parse(auto.stdout)).toEqual({ email: 'alice@acme.example', stage: 'existing', stageSource: 'config' });

    const badStage = cli('customers', 'stage', 'alice@acme.example', 'vip');
    expect([badStage.status, badStage.stdout, badStage.stderr]).toEqual([2, '', 'postdesk: stage must be one of prospect, new, existing, auto (not "vip")\n']);
    const nobody = cli('customers', 'stage', 'nobody@x.example', 'new');
    expect([nobody.status, nobody.stderr]).toEqual([2, 'postdesk: no customer nobody@x.example\n']);
  });
});

describe('`#stage` by agent mail and the notifications', () => {
  it("shows the stage in the new-ticket and update notifications; #stage sets it over config, the ticket keeps its opening stage", async () => {
    await withDesk(await deskWith(smtp, { customers: { stages: { new: ['sam@customer.example'] } } }), async (desk) => {
      await receive(desk, buildMail({ from: 'Sam <sam@customer.example>', subject: 'Stages', text: 'A question.' }));
      await flush(desk);
      const notification = smtp.to(AGENT.email).at(-1)!;
      expect(notification.parsed.subject).toBe('[#1000] New ticket: Stages');
      expect(notification.parsed.text).toContain('Customer stage: new (configured).');
      expect(notification.parsed.text).toContain('#stage <prospect|new|existing|auto>');

      await receive(desk, replyToCaptured(notification, { from: AGENT.email, text: '#stage existing\n#note' }));
      await flush(desk);
      const sam = (await findCustomer(desk.db, 'sam@customer.example'))!;
      expect(sam).toMatchObject({ stage: 'existing', stageSetBy: 'agent' });
      expect(await ticketStage(desk, 1000)).toBe('new');
      const ticket = (await findTicketByNumber(desk.db, 1000))!;
      expect((await listEvents(desk.db, ticket.id, 'stage-changed')).map((e) => e.data)).toEqual([{ from: 'new', to: 'existing', by: AGENT.email }]);

      await receive(desk, replyToCaptured(smtp.to('sam@customer.example').at(-1)!, { from: 'Sam <sam@customer.example>', text: 'More detail.' }));
      await flush(desk);
      const update = smtp.to(AGENT.email).at(-1)!;
      expect(update.parsed.subject).toBe('[#1000] Customer replied: Stages');
      expect(update.parsed.text).toContain('Customer stage: existing (set by an agent).');

      const before = smtp.to('sam@customer.example').length;
      await receive(desk, replyToCaptured(notification, { from: AGENT.email, text: '#stage vip\nNot to be sent.' }));
      await flush(desk);
      expect(smtp.to('sam@customer.example').length).toBe(before);
      expect(smtp.to(AGENT.email).at(-1)!.parsed.text).toContain('#stage vip: must be one of prospect, new, existing, auto');
    });
  });

  it('in Chinese notifications too', async () => {
    await withDesk(await deskWith(smtp, { language: 'zh' }), async (desk) => {
      await receive(desk, buildMail({ from: 'wu@customer.example', subject: '价格', text: '专业版多少钱？' }));
      await flush(desk);
      expect(smtp.to(AGENT.email).at(-1)!.parsed.text).toContain('客户阶段：潜在客户（自动判断）。');
    });
  });
});
