// `postdesk sla` and `postdesk sla tick` as a user runs them, with --now as the clock.
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { updateTicket } from '../../src/store/tickets.ts';
import { postdesk } from '../helpers/cli.ts';
import { testApp } from '../helpers/test-app.ts';
import { HOUR, receive } from './sla-helpers.ts';

describe('postdesk sla', () => {
  it('lists open tickets by due time with state and time left; tick sends the due warning', async () => {
    const app = await testApp({ agents: [{ name: 'Ann Agent', email: 'ann@desk.example' }] });
    const t0 = app.now().getTime();
    const normal = await receive(app, { subject: 'Where is my parcel?', from: 'dan@customer.example' });
    const waiting = await receive(app, { subject: 'Address change', from: 'eve@customer.example' });
    app.clock.advance(10 * 60_000);
    const urgent = await receive(app, { subject: 'URGENT: cannot log in', from: 'fay@customer.example' });
    await inTransaction(app, (app) => updateTicket(app.db, waiting.id, { status: 'pending', updatedAt: new Date(t0 + HOUR) }));
    const { dataDir, configPath } = app.config;
    await app.close();

    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const global = ['--data', dataDir, '--config', configPath!, '--now', at(3.5 * HOUR)];
    // The pending ticket is paused by the first tick (as the running service would have done).
    const tick = postdesk(['sla', 'tick', '--json', ...global]);
    expect(tick.stderr).toBe('');
    // 3.5 h in: the urgent ticket (4 h target, received at 0:10) is past 75 % and gets its warning.
    expect(JSON.parse(tick.stdout)).toEqual({ synced: 1, warnings: 1, breaches: 0 });

    const list = postdesk(['sla', '--json', ...global]);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual([
      { number: urgent.number, subject: 'URGENT: cannot log in', status: 'new', priority: 'urgent', customer: 'fay@customer.example', target: 'first-response', state: 'at risk', dueAt: at(4 * HOUR + 10 * 60_000), timeLeftMs: 40 * 60_000 },
      { number: normal.number, subject: 'Where is my parcel?', status: 'new', priority: 'normal', customer: 'dan@customer.example', target: 'first-response', state: 'ok', dueAt: at(24 * HOUR), timeLeftMs: 20.5 * HOUR },
      { number: waiting.number, subject: 'Address change', status: 'pending', priority: 'normal', customer: 'eve@customer.example', target: 'first-response', state: 'paused', dueAt: at(24 * HOUR), timeLeftMs: 20.5 * HOUR },
    ]);
  });
});
