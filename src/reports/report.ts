// A whole report: the period's figures, the three comparisons, and the data behind the charts.
import { DateTime } from 'luxon';
import type { App } from '../app.ts';
import { slaOutcomesBetween, ticketsCreatedBetween } from '../store/report-queries.ts';
import { periodFigures, slaMetPercent, type PeriodFigures } from './figures.ts';
import { agentNames } from './satisfaction.ts';
import { comparisonPeriods, periodContaining, shiftPeriod, type Period, type PeriodKind } from './period.ts';

const HOUR_MS = 3_600_000;
/** Upper bounds of the response-time buckets, in hours; the last bucket is open. */
const RESPONSE_BUCKETS_H = [1, 4, 8, 24, 48];
const TREND_PERIODS = 12;

export interface Report {
  timeZone: string;
  current: PeriodFigures;
  comparisons: { previous: PeriodFigures; sameLastMonth: PeriodFigures; sameLastYear: PeriodFigures };
  volumePerDay: { date: string; created: number }[];
  responseTimeDistribution: { label: string; count: number }[];
  /** SLA met % of the last 12 periods, oldest first, ending with the reported one. */
  slaTrend: { label: string; met: number; breaches: number; slaMetPercent: number | null }[];
  /** The names of the agents the satisfaction figures name by address. */
  agentNames: Record<string, string>;
}

/** The period to report on: the one containing `at`, or by default the last complete one. */
export function reportPeriod(app: App, kind: PeriodKind, at?: Date): Period {
  const zone = app.config.timeZone;
  return at ? periodContaining(kind, at, zone) : shiftPeriod(periodContaining(kind, app.now(), zone), -1, zone);
}

export async function buildReport(app: App, period: Period): Promise<Report> {
  const zone = app.config.timeZone;
  const compared = comparisonPeriods(period, zone);
  const created = await ticketsCreatedBetween(app.db, period.start, period.end);
  const current = await periodFigures(app, period, created);
  const comparisons = {
    previous: await periodFigures(app, compared.previous),
    sameLastMonth: await periodFigures(app, compared.sameLastMonth),
    sameLastYear: await periodFigures(app, compared.sameLastYear),
  };
  const slaTrend: Report['slaTrend'] = [];
  for (let i = 1 - TREND_PERIODS; i <= 0; i++) {
    const p = shiftPeriod(period, i, zone);
    const outcomes = await slaOutcomesBetween(app.db, p.start, p.end, app.now());
    const met = outcomes.reduce((n, o) => n + o.met, 0);
    const breaches = outcomes.reduce((n, o) => n + o.breached, 0);
    slaTrend.push({ label: p.label.split(' ')[0], met, breaches, slaMetPercent: slaMetPercent(met, breaches) });
  }
  return {
    timeZone: zone,
    current,
    comparisons,
    volumePerDay: volumePerDay(period, created.map((t) => t.createdAt), zone),
    responseTimeDistribution: responseTimeDistribution(created.flatMap((t) => (t.firstResponseMs === null ? [] : [t.firstResponseMs]))),
    slaTrend,
    agentNames: await agentNames(app, [current, ...Object.values(comparisons)].map((p) => p.satisfaction)),
  };
}

function volumePerDay(period: Period, createdAt: Date[], zone: string): Report['volumePerDay'] {
  const counts = new Map<string, number>();
  for (let day = DateTime.fromJSDate(period.start, { zone }); day.toJSDate() < period.end; day = day.plus({ days: 1 })) counts.set(day.toISODate()!, 0);
  for (const at of createdAt) {
    const date = DateTime.fromJSDate(at, { zone }).toISODate()!;
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return [...counts].map(([date, created]) => ({ date, created }));
}

function responseTimeDistribution(times: number[]): Report['responseTimeDistribution'] {
  const labels = [...RESPONSE_BUCKETS_H.map((h, i) => `${i ? RESPONSE_BUCKETS_H[i - 1] : 0}–${h} h`), `≥ ${RESPONSE_BUCKETS_H.at(-1)} h`];
  const counts = labels.map(() => 0);
  for (const ms of times) {
    const bucket = RESPONSE_BUCKETS_H.findIndex((h) => ms < h * HOUR_MS);
    counts[bucket === -1 ? labels.length - 1 : bucket]++;
  }
  return labels.map((label, i) => ({ label, count: counts[i] }));
}
