// Priority from VIP status and from urgent or angry words (English and Chinese); the priority
// decides the SLA target and the matched words are recorded on the ticket event.
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/store/events.ts';
import { findCustomer } from '../../src/store/customers.ts';
import { postdesk } from '../helpers/cli.ts';
import { testApp } from '../helpers/test-app.ts';
import { HOUR, receive, ticket } from './sla-helpers.ts';

const policies = [
  { vip: true, firstResponseHours: 2 },
  { priority: 'urgent' as const, firstResponseHours: 4 },
  { priority: 'high' as const, firstResponseHours: 8 },
  { firstResponseHours: 24 },
];

describe('priority', () => {
  it.each([
    ['English keyword', 'URGENT: our shop is down', 'Please look.', 'urgent', ['urgent'], 4],
    ['English phrase across a line break', 'Order 5512', 'I want a refund\nnow, this is unacceptable.', 'high', ['refund now', 'unacceptable'], 8],
    ['Chinese keywords', '订单问题', '服务太差了，我要投诉！', 'high', ['投诉', '太差'], 8],
    ['Chinese urgent word', '紧急：无法登录', '请尽快处理', 'urgent', ['紧急'], 4],
    ['a keyword inside another word does not count', 'Insurgent (the film)', 'Is the DVD in stock?', 'normal', [], 24],
  ])('%s', async (_name, subject, text, priority, matched, hours) => {
    const app = await testApp({ sla: { policies } });
    const start = app.now().getTime();
    const t = await receive(app, { subject, text });
    expect((await ticket(app, t.number)).priority).toBe(priority);
    expect((await ticket(app, t.number)).dueAt?.getTime()).toBe(start + hours * HOUR);
    const events = await listEvents(app.db, t.id, 'priority-raised');
    if (matched.length) expect(events).toMatchObject([{ data: { from: 'normal', to: priority, vip: false, matched } }]);
    else expect(events).toEqual([]);
    await app.close();
  });

  it('gives VIPs from the config the VIP priority and their own target', async () => {
    const app = await testApp({ sla: { policies }, priority: { vip: ['carol@customer.example'] } });
    const start = app.now().getTime();
    const t = await receive(app, { subject: 'A question' });
    expect((await ticket(app, t.number)).priority).toBe('high');
    expect((await ticket(app, t.number)).dueAt?.getTime()).toBe(start + 2 * HOUR);
    expect(await listEvents(app.db, t.id, 'priority-raised')).toMatchObject([{ data: { to: 'high', vip: true, matched: [] } }]);
    await app.close();
  });

  it('has a VIP target of its own in the default policies', async () => {
    const app = await testApp({ priority: { vip: ['carol@customer.example'] } });
    const start = app.now().getTime();
    const t = await receive(app);
    expect(await ticket(app, t.number)).toMatchObject({ priority: 'high', dueAt: new Date(start + 8 * HOUR) });
    await app.close();
  });

  it('`postdesk customers vip` flags a known customer; the next mail gets the VIP target', async () => {
    const app = await testApp({ sla: { policies } });
    await receive(app, { subject: 'First contact' });
    const dataDir = app.config.dataDir;
    const config = app.config.configPath!;
    await app.close();

    const r = postdesk(['customers', 'vip', 'Carol@Customer.example', '--data', dataDir, '--config', config, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ email: 'carol@customer.example', vip: true });
    expect(postdesk(['customers', 'vip', 'nobody@x.example', '--data', dataDir, '--config', config]).status).toBe(2);

    const again = await testApp({ sla: { policies } }, { dataDir });
    expect((await findCustomer(again.db, 'carol@customer.example'))?.vip).toBe(true);
    const start = again.now().getTime();
    const t = await receive(again, { subject: 'Second question' });
    expect(await ticket(again, t.number)).toMatchObject({ priority: 'high', dueAt: new Date(start + 2 * HOUR) });
    await again.close();
  });
});
