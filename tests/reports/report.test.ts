// Report figures on a generated data set, checked against numbers the test computes itself from
// the generated rows, with period boundaries written out by hand (Europe/Berlin, across DST).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type App } from '../../src/app.ts';
import { upsertCustomer } from '../../src/store/customers.ts';
import { all, execute, tablesOf } from '../../src/store/dialect.ts';
import { PRIORITIES, type Priority } from '../../src/store/schema.ts';
import { buildReport, reportPeriod, type Report } from '../../src/reports/report.ts';
import { renderHtml } from '../../src/reports/render-html.ts';
import { renderText } from '../../src/reports/render-text.ts';
import { postdesk } from '../helpers/cli.ts';
import { testApp, testClock, type TestApp } from '../helpers/test-app.ts';

const HOUR = 3_600_000;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  mailbox: string;
  priority: Priority;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  dueAt: number;
  pausedAt: number | null;
}

const FROM = Date.parse('2025-09-01T00:00:00Z');
const TO = Date.parse('2026-11-12T00:00:00Z');
const NOW = '2026-11-12T00:00:00Z';

/** Written in one transaction, in batches of rows per statement. */
function generate(app: App, count: number): Promise<Generated[]> {
  return inTransaction(app, async (app) => {
    const { slaClocks, tickets } = tablesOf(app.db);
    const next = random(42);
    const customer = await upsertCustomer(app.db, 'carol@customer.example', 'Carol', new Date(FROM));
    const rows: Generated[] = [];
    const at = (t: number | null) => (t === null ? null : new Date(t));
    for (let batch = 0; batch < count; batch += 500) {
      const generated: (Generated & { status: 'resolved' | 'pending' | 'open'; mailboxId: number })[] = [];
      for (let i = batch; i < Math.min(count, batch + 500); i++) {
        const mailbox = app.mailboxes[next() < 0.7 ? 0 : 1];
        const priority = PRIORITIES[Math.floor(next() * PRIORITIES.length)];
        const createdAt = Math.floor(FROM + next() * (TO - FROM));
        const firstResponseAt = next() < 0.85 ? createdAt + Math.floor(next() * 50 * HOUR) : null;
        const resolvedAt = firstResponseAt !== null && next() < 0.8 ? firstResponseAt + Math.floor(next() * 72 * HOUR) : null;
        const dueAt = createdAt + (priority === 'urgent' ? 4 : 24) * HOUR;
        // Some unanswered tickets wait for the customer: paused before or after their due time.
        const pausedAt = firstResponseAt === null && next() < 0.3 ? createdAt + Math.floor(next() * 30 * HOUR) : null;
        const status = resolvedAt !== null ? 'resolved' : pausedAt !== null ? 'pending' : 'open';
        generated.push({ mailbox: mailbox.name, mailboxId: mailbox.id, status, priority, createdAt, firstResponseAt, resolvedAt, dueAt, pausedAt });
      }
      const ids = await all(app.db
        .insert(tickets)
        .values(generated.map((r, i) => ({
          number: 1000 + batch + i, subject: 'generated', status: r.status, priority: r.priority, mailboxId: r.mailboxId, customerId: customer.id,
          createdAt: new Date(r.createdAt), updatedAt: new Date(r.createdAt), resolvedAt: at(r.resolvedAt), firstResponseAt: at(r.firstResponseAt),
        })))
        .returning({ id: tickets.id }));
      await execute(app.db.insert(slaClocks).values(generated.map((r, i) => ({
        ticketId: ids[i].id, target: 'first-response' as const, startedAt: new Date(r.createdAt), warnAt: new Date(r.createdAt + (r.dueAt - r.createdAt) * 0.75),
        dueAt: new Date(r.dueAt), pausedAt: at(r.pausedAt), stoppedAt: at(r.firstResponseAt),
      }))));
      rows.push(...generated.map(({ status, mailboxId, ...r }) => r));
    }
    return rows;
  });
}

/** The test's own computation of one period's figures from the generated rows. */
function expectedFigures(rows: Generated[], startIso: string, endIso: string) {
  const [start, end, now] = [Date.parse(startIso), Date.parse(endIso), Date.parse(NOW)];
  const inRange = (t: number | null, s = start, e = end) => t !== null && t >= s && t < e;
  const created = rows.filter((r) => inRange(r.createdAt));
  const times = created.filter((r) => r.firstResponseAt !== null).map((r) => r.firstResponseAt! - r.createdAt);
  times.sort((a, b) => a - b);
  const rank = (p: number) => (times.length ? times[Math.ceil(p * times.length) - 1] : null);
  const met = rows.filter((r) => inRange(r.firstResponseAt) && r.firstResponseAt! <= r.dueAt).length;
  const breaches = rows.filter(
    (r) =>
      inRange(r.dueAt, start, Math.min(end, now)) &&
      (r.firstResponseAt === null || r.firstResponseAt > r.dueAt) &&
      (r.pausedAt === null || r.pausedAt > r.dueAt),
  ).length;
  return {
    created: created.length,
    resolved: rows.filter((r) => inRange(r.resolvedAt)).length,
    firstResponseMedianMs: rank(0.5),
    firstResponseP90Ms: rank(0.9),
    slaMet: met,
    breaches,
    slaMetPercent: met + breaches ? (100 * met) / (met + breaches) : null,
  };
}

const config = {
  timeZone: 'Europe/Berlin',
  mailboxes: [
    { name: 'support', address: 'support@example.com' },
    { name: 'sales', address: 'sales@example.com' },
  ],
};

// The week of Wed 4 Nov 2026 and its comparisons, Monday 00:00 Berlin time (CET +01:00, CEST +02:00).
const WEEK = ['2026-11-02T00:00:00+01:00', '2026-11-09T00:00:00+01:00'] as const;
const PREVIOUS = ['2026-10-26T00:00:00+01:00', '2026-11-02T00:00:00+01:00'] as const;
const LAST_MONTH = ['2026-09-28T00:00:00+02:00', '2026-10-05T00:00:00+02:00'] as const; // the week of 2 Oct
const LAST_YEAR = ['2025-10-27T00:00:00+01:00', '2025-11-03T00:00:00+01:00'] as const; // the week of 2 Nov 2025

describe('report figures', () => {
  let app: TestApp;
  let rows: Generated[];
  let report: Report;
  beforeAll(async () => {
    app = await testApp(config, { clock: testClock(NOW) });
    rows = await generate(app, 4000);
    report = await buildReport(app, reportPeriod(app, 'week', new Date('2026-11-04T12:00:00+01:00')));
  });
  afterAll(() => app.close());

  it('reports the week and its three comparison periods with the figures computed from the rows', () => {
    const periods = [report.current, report.comparisons.previous, report.comparisons.sameLastMonth, report.comparisons.sameLastYear];
    expect(periods.map((p) => [p.period.start.toISOString(), p.period.end.toISOString()])).toEqual(
      [WEEK, PREVIOUS, LAST_MONTH, LAST_YEAR].map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()]),
    );
    [WEEK, PREVIOUS, LAST_MONTH, LAST_YEAR].forEach(([s, e], i) => expect(periods[i].total).toEqual(expectedFigures(rows, s, e)));
    expect(report.current.total.created).toBeGreaterThan(40); // the data set really covers the week
  });

  it('splits the figures by mailbox and by priority', () => {
    for (const mailbox of ['support', 'sales']) {
      expect(report.current.byMailbox[mailbox]).toEqual(expectedFigures(rows.filter((r) => r.mailbox === mailbox), ...WEEK));
      expect(report.comparisons.sameLastYear.byMailbox[mailbox]).toEqual(expectedFigures(rows.filter((r) => r.mailbox === mailbox), ...LAST_YEAR));
    }
    for (const priority of PRIORITIES) {
      expect(report.current.byPriority[priority]).toEqual(expectedFigures(rows.filter((r) => r.priority === priority), ...WEEK));
    }
  });

  it('charts the volume per day, the response-time distribution and the SLA trend of 12 weeks', () => {
    expect(report.volumePerDay.map((d) => d.date)).toEqual(['02', '03', '04', '05', '06', '07', '08'].map((d) => `2026-11-${d}`));
    expect(report.volumePerDay.reduce((n, d) => n + d.created, 0)).toBe(report.current.total.created);
    const answered = rows.filter((r) => r.createdAt >= Date.parse(WEEK[0]) && r.createdAt < Date.parse(WEEK[1]) && r.firstResponseAt !== null);
    expect(report.responseTimeDistribution.reduce((n, b) => n + b.count, 0)).toBe(answered.length);
    expect(report.responseTimeDistribution[0].count).toBe(answered.filter((r) => r.firstResponseAt! - r.createdAt < HOUR).length);

    // Mondays going back 11 weeks from 2 Nov; before 25 Oct 2026 Berlin is on summer time (+02:00).
    const monday = (weeksBack: number) => {
      const local = Date.parse('2026-11-02T00:00:00Z') - weeksBack * 7 * 24 * HOUR;
      return new Date(local - (local < Date.parse('2026-10-25T00:00:00Z') ? 2 : 1) * HOUR).toISOString();
    };
    expect(report.slaTrend).toHaveLength(12);
    report.slaTrend.forEach((point, i) => {
      const e = expectedFigures(rows, monday(11 - i), monday(10 - i));
      expect([point.met, point.breaches]).toEqual([e.slaMet, e.breaches]);
    });
  });

  it('renders text and a script-free HTML page with four inline SVG charts', () => {
    const html = renderHtml(report);
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('<title>SLA met %, last 12 periods</title>');
    expect(html).toContain(`<td>${report.current.total.created}</td>`);
    const text = renderText(report);
    expect(text).toContain('2026-W45 (2026-11-02 – 2026-11-08)');
    expect(text).toMatch(new RegExp(`tickets created\\s+${report.current.total.created}\\s+${report.comparisons.previous.total.created}\\s`));
  });

  it('`postdesk report --at --json` gives the same figures', () => {
    const r = postdesk(['report', '--at', '2026-11-04', '--json', '--now', NOW, '--data', app.config.dataDir, '--config', app.config.configPath!]);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.current.total).toEqual(expectedFigures(rows, ...WEEK));
    expect(postdesk(['report', '--period', 'year', '--data', app.config.dataDir]).status).toBe(2);
  });
});
