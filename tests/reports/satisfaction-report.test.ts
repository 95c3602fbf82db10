// CSAT in the report: the share of 4–5 ratings among the rated tickets resolved in the period, per
// agent who resolved them and in total, with the response rate (rated / resolved), compared with
// the earlier periods; checked against figures the test computes from its generated rows, in
// text, JSON (through the real CLI) and HTML with an accessible SVG chart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type App } from '../../src/app.ts';
import { upsertCustomer } from '../../src/store/customers.ts';
import { all, execute, tablesOf } from '../../src/store/dialect.ts';
import { buildReport, reportPeriod, type Report } from '../../src/reports/report.ts';
import { renderHtml } from '../../src/reports/render-html.ts';
import { renderText } from '../../src/reports/render-text.ts';
import { postdesk } from '../helpers/cli.ts';
import { testApp, testClock, type TestApp } from '../helpers/test-app.ts';

const HOUR = 3_600_000;
const NOW = '2026-11-12T00:00:00Z';
const ANN = { name: 'Ann Lee', email: 'ann@agents.example' };
const BOB = { name: 'Bob Marsh', email: 'bob@agents.example' };
// The week of Wed 4 Nov 2026 and the week before (Europe/Berlin, CET).
const WEEK = [Date.parse('2026-11-02T00:00:00+01:00'), Date.parse('2026-11-09T00:00:00+01:00')];
const PREVIOUS = [WEEK[0] - 7 * 24 * HOUR, WEEK[0]];

interface Row {
  resolvedAt: number;
  /** Who resolved it: an agent's email, or null (no agent's #close, e.g. self-served). */
  by: string | null;
  rating: number | null;
}

/** Deterministic: every combination of period, resolver and rating, a few times over, in one transaction. */
function generate(app: App): Promise<Row[]> {
  return inTransaction(app, async (app) => {
    const { ticketEvents, tickets } = tablesOf(app.db);
    const customer = await upsertCustomer(app.db, 'carol@customer.example', 'Carol', new Date(PREVIOUS[0]));
    const resolvedBy = (by: string, at: number) => ({ type: 'status-changed', data: { from: 'open', to: 'resolved', by, reason: 'email command' }, createdAt: new Date(at) });
    const rows: Row[] = [];
    let n = 0;
    for (const [start] of [WEEK, PREVIOUS]) {
      for (const by of [ANN.email, BOB.email, null]) {
        for (const rating of [null, 1, 2, 3, 4, 5, 5, 4, null, by === BOB.email ? 2 : 5]) {
          const resolvedAt = start + (++n % 150) * HOUR;
          const [{ id }] = await all(app.db
            .insert(tickets)
            .values({
              number: 1000 + n, subject: 'generated', status: 'resolved', priority: 'normal', mailboxId: app.mailboxes[0].id, customerId: customer.id,
              createdAt: new Date(resolvedAt - HOUR), updatedAt: new Date(resolvedAt), resolvedAt: new Date(resolvedAt),
              rating, ratedAt: rating === null ? null : new Date(resolvedAt + HOUR),
            })
            .returning({ id: tickets.id }));
          // An earlier resolution by someone else, reopened since: the last one names the agent.
          const events = [...(by === ANN.email ? [resolvedBy(BOB.email, resolvedAt - 2 * HOUR)] : []), ...(by ? [resolvedBy(by, resolvedAt)] : [])];
          if (events.length) await execute(app.db.insert(ticketEvents).values(events.map((e) => ({ ticketId: id, ...e }))));
          rows.push({ resolvedAt, by, rating });
        }
      }
    }
    return rows;
  });
}

function expected(rows: Row[], [start, end]: number[]) {
  const resolved = rows.filter((r) => r.resolvedAt >= start && r.resolvedAt < end);
  const ratings = resolved.flatMap((r) => (r.rating === null ? [] : [r.rating]));
  const satisfied = ratings.filter((r) => r >= 4).length;
  return {
    resolved: resolved.length,
    rated: ratings.length,
    satisfied,
    responseRatePercent: resolved.length ? (100 * ratings.length) / resolved.length : null,
    csatPercent: ratings.length ? (100 * satisfied) / ratings.length : null,
    averageRating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
  };
}

describe('CSAT in the report', () => {
  let app: TestApp;
  let rows: Row[];
  let report: Report;
  beforeAll(async () => {
    app = await testApp({ timeZone: 'Europe/Berlin', agents: [ANN, BOB] }, { clock: testClock(NOW) });
    rows = await generate(app);
    report = await buildReport(app, reportPeriod(app, 'week', new Date('2026-11-04T12:00:00+01:00')));
  });
  afterAll(() => app.close());
  const byAgent = (agent: string | null) => rows.filter((r) => r.by === agent);

  it('gives CSAT and response rate per period, in total and per resolving agent', () => {
    const { current, comparisons } = report;
    expect(current.satisfaction.total).toEqual(expected(rows, WEEK));
    expect(comparisons.previous.satisfaction.total).toEqual(expected(rows, PREVIOUS));
    expect(current.satisfaction.byAgent).toEqual({
      [ANN.email]: expected(byAgent(ANN.email), WEEK),
      [BOB.email]: expected(byAgent(BOB.email), WEEK),
      none: expected(byAgent(null), WEEK),
    });
    expect(current.satisfaction.byAgent[BOB.email].csatPercent).toBe(50);
    expect(comparisons.sameLastYear.satisfaction.total).toEqual(expected([], WEEK));
    expect(report.agentNames).toEqual({ [ANN.email]: ANN.name, [BOB.email]: BOB.name });
  });

  it('shows CSAT per agent and period as text', () => {
    const text = renderText(report);
    const ann = expected(byAgent(ANN.email), WEEK);
    const annBefore = expected(byAgent(ANN.email), PREVIOUS);
    expect(text).toMatch(new RegExp(`CSAT \\(rated 4–5\\)\\s+${expected(rows, WEEK).csatPercent!.toFixed(1)} %\\s+${expected(rows, PREVIOUS).csatPercent!.toFixed(1)} %\\s+–\\s+–`));
    expect(text).toMatch(new RegExp(`response rate\\s+${expected(rows, WEEK).responseRatePercent!.toFixed(1)} %`));
    expect(text).toMatch(new RegExp(`Ann Lee\\s+${ann.csatPercent!.toFixed(1)} % of ${ann.rated}\\s+${annBefore.csatPercent!.toFixed(1)} % of ${annBefore.rated}\\s+–\\s+–`));
    expect(text).toMatch(/no agent \(self-served\)\s+\d/);
  });

  it('charts CSAT per agent in the HTML as an SVG bar chart with a text alternative', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script/i);
    const chart = /<svg [^>]*role="img"[^>]*>\n<title>CSAT by agent, this period<\/title>\n<desc>([^<]*)<\/desc>[\s\S]*?<\/svg>/.exec(html);
    expect(chart).not.toBeNull();
    const ann = expected(byAgent(ANN.email), WEEK);
    expect(chart![1]).toContain(`Ann Lee: ${ann.csatPercent!.toFixed(1)} % of ${ann.rated} ratings`);
    expect(chart![1]).toContain(`all tickets: ${expected(rows, WEEK).csatPercent!.toFixed(1)} %`);
    expect(chart![0].match(/<rect /g)).toHaveLength(4); // Ann, Bob, no agent, all
    expect(html).toContain(`<th scope="row">Bob Marsh</th>`);
  });

  it('`postdesk report --json` carries the same CSAT figures', () => {
    const r = postdesk(['report', '--at', '2026-11-04', '--json', '--now', NOW, '--data', app.config.dataDir, '--config', app.config.configPath!]);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.current.satisfaction.total).toEqual(expected(rows, WEEK));
    expect(json.comparisons.previous.satisfaction.byAgent[ANN.email]).toEqual(expected(byAgent(ANN.email), PREVIOUS));
  });
});
