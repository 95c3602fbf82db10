// The weekly report goes to the leads once per scheduled time, also across restarts.
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { mailWeeklyReportIfDue } from '../../src/reports/weekly-mail.ts';
import { rowsOf } from '../helpers/db-rows.ts';
import { testApp, testClock } from '../helpers/test-app.ts';
import { reopen } from '../sla/sla-helpers.ts';

const config = {
  timeZone: 'Europe/Berlin',
  agents: [{ name: 'Ben Lead', email: 'ben@desk.example', lead: true }],
  sla: { leads: ['boss@desk.example'], weeklyReport: { weekday: 'mon' as const, time: '08:00' } },
};

/** The queued reports, each mail as JSON text (SQLite keeps it as text; PostgreSQL's jsonb is read back as text). */
function reports(app: App) {
  return rowsOf<{ recipient: string; mail: string }>(app, "SELECT recipient, CAST(mail AS text) AS mail FROM outbox WHERE kind = 'weekly-report' ORDER BY id");
}

describe('weekly report mail', () => {
  it('queues the last week’s report for the leads at the scheduled local time, once', async () => {
    const clock = testClock('2026-11-09T07:59:00+01:00'); // Monday, a minute early
    const app = await testApp(config, { clock });
    // The first check catches up the time missed before the service ran: last Monday 08:00.
    expect(await mailWeeklyReportIfDue(app)).toEqual(['boss@desk.example', 'ben@desk.example']);
    expect(await mailWeeklyReportIfDue(app)).toBeUndefined();
    expect(JSON.parse((await reports(app))[0].mail).subject).toContain('2026-W44');

    clock.set('2026-11-09T08:00:00+01:00');
    expect(await mailWeeklyReportIfDue(app)).toEqual(['boss@desk.example', 'ben@desk.example']);
    await app.close();

    clock.set('2026-11-09T09:00:00+01:00');
    const again = await reopen(app, clock);
    expect(await mailWeeklyReportIfDue(again)).toBeUndefined();
    const sent = await reports(again);
    expect(sent.map((r) => r.recipient)).toEqual(['boss@desk.example', 'ben@desk.example', 'boss@desk.example', 'ben@desk.example']);
    const mail = JSON.parse(sent[2].mail);
    expect(mail.subject).toBe('Postdesk weekly report 2026-W45 (2026-11-02 – 2026-11-08)');
    expect(mail.html.match(/<svg /g)).toHaveLength(4);
    expect(mail.html).toContain('<title>CSAT by agent, this period</title>');
    expect(mail.text).toMatch(/CSAT \(rated 4–5\)/);
    expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
    await again.close();
  });

  it('sends nothing without a schedule', async () => {
    const app = await testApp({ ...config, sla: { leads: ['boss@desk.example'] } });
    expect(await mailWeeklyReportIfDue(app)).toBeUndefined();
    expect(await reports(app)).toEqual([]);
    await app.close();
  });
});
