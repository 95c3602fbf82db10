// Warning and breach mails go through the real outbox exactly once per ticket and target, also
// when the service restarts (a new App on the same data directory) or two processes tick at once.
import { describe, expect, it } from 'vitest';
import { inTransaction, type App } from '../../src/app.ts';
import { listEvents } from '../../src/store/events.ts';
import { runSlaTick } from '../../src/sla/tick.ts';
import { claimNotice, runningClocks } from '../../src/store/sla-clocks.ts';
import { rowsOf } from '../helpers/db-rows.ts';
import { testApp, testClock } from '../helpers/test-app.ts';
import { HOUR, receive, reopen } from './sla-helpers.ts';

const config = {
  agents: [
    { name: 'Ann Agent', email: 'ann@desk.example' },
    { name: 'Ben Lead', email: 'ben@desk.example', lead: true },
  ],
  sla: { leads: ['boss@desk.example'] },
};

async function outboxByKind(app: App, kind: string): Promise<string[]> {
  const rows = await rowsOf<{ recipient: string }>(app, 'SELECT recipient FROM outbox WHERE kind = ? ORDER BY recipient', kind);
  return rows.map((r) => r.recipient);
}

describe('SLA warning and breach notices', () => {
  it('warns at 75 % and reports the breach once each, across restarts', async () => {
    const clock = testClock('2026-11-02T09:00:00Z');
    const first = await testApp(config, { clock });
    const t = await receive(first);

    clock.advance(18 * HOUR - 60_000); // just before 75 % of 24 h
    expect(await runSlaTick(first)).toMatchObject({ warnings: 0, breaches: 0 });
    clock.advance(60_000);
    expect(await runSlaTick(first)).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await runSlaTick(first)).toMatchObject({ warnings: 0, breaches: 0 });
    // Unassigned: every agent is warned.
    expect(await outboxByKind(first, 'sla-warning')).toEqual(['ann@desk.example', 'ben@desk.example']);
    await first.close();

    clock.set('2026-11-03T09:00:00Z'); // due
    const second = await reopen(first, clock);
    expect(await runSlaTick(second)).toMatchObject({ warnings: 0, breaches: 1 });
    expect(await runSlaTick(second)).toMatchObject({ warnings: 0, breaches: 0 });
    await second.close();

    clock.advance(HOUR);
    const third = await reopen(first, clock);
    expect(await runSlaTick(third)).toMatchObject({ warnings: 0, breaches: 0 });
    expect(await outboxByKind(third, 'sla-warning')).toEqual(['ann@desk.example', 'ben@desk.example']);
    // Breach: the owners (all agents, unassigned) and the leads, each once.
    expect(await outboxByKind(third, 'sla-breach')).toEqual(['ann@desk.example', 'ben@desk.example', 'boss@desk.example']);
    expect(await listEvents(third.db, t.id, 'sla-warning')).toHaveLength(1);
    expect(await listEvents(third.db, t.id, 'sla-breach')).toMatchObject([{ data: { target: 'first-response', dueAt: '2026-11-03T09:00:00.000Z' } }]);
    await third.close();
  });

  it('lets only one claimant take a notice (what keeps two processes from both sending it)', async () => {
    const app = await testApp(config);
    const t = await receive(app);
    const [clock] = await runningClocks(app.db, t.id);
    expect(await inTransaction(app, (app) => claimNotice(app.db, clock.id, 'warning', app.now()))).toBe(true);
    expect(await inTransaction(app, (app) => claimNotice(app.db, clock.id, 'warning', app.now()))).toBe(false);
    expect(await inTransaction(app, (app) => claimNotice(app.db, clock.id, 'breach', app.now()))).toBe(true);
    await app.close();
  });

  it('sends only the breach, not a late warning, when first seen past due', async () => {
    const clock = testClock('2026-11-02T09:00:00Z');
    const app = await testApp({ ...config, agents: [{ ...config.agents[0], lead: false }] }, { clock });
    await receive(app);
    clock.advance(30 * HOUR);
    expect(await runSlaTick(app)).toMatchObject({ warnings: 0, breaches: 1 });
    expect(await outboxByKind(app, 'sla-warning')).toEqual([]);
    expect(await outboxByKind(app, 'sla-breach')).toEqual(['ann@desk.example', 'boss@desk.example']);
    await app.close();
  });
});
