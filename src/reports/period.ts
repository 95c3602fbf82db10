// Report periods: ISO weeks (Monday to Monday) or calendar months in the configured time zone,
// and the periods each report is compared with.
import { DateTime } from 'luxon';

export type PeriodKind = 'week' | 'month';
export const PERIOD_KINDS: PeriodKind[] = ['week', 'month'];

export interface Period {
  kind: PeriodKind;
  start: Date;
  end: Date;
  label: string;
}

export function periodContaining(kind: PeriodKind, at: Date, zone: string): Period {
  const start = DateTime.fromJSDate(at, { zone }).startOf(kind === 'week' ? 'week' : 'month');
  const end = start.plus(kind === 'week' ? { weeks: 1 } : { months: 1 });
  const label = kind === 'week' ? `${start.toFormat("kkkk-'W'WW")} (${start.toISODate()} – ${end.minus({ days: 1 }).toISODate()})` : start.toFormat('yyyy-MM');
  return { kind, start: start.toJSDate(), end: end.toJSDate(), label };
}

/** The period `count` periods before (negative) or after this one. */
export function shiftPeriod(period: Period, count: number, zone: string): Period {
  const start = DateTime.fromJSDate(period.start, { zone });
  return periodContaining(period.kind, start.plus(period.kind === 'week' ? { weeks: count } : { months: count }).toJSDate(), zone);
}

export interface Comparisons {
  previous: Period;
  sameLastMonth: Period;
  sameLastYear: Period;
}

/** The same period a month and a year earlier: the week or month that contains the same date then. */
export function comparisonPeriods(period: Period, zone: string): Comparisons {
  const start = DateTime.fromJSDate(period.start, { zone });
  return {
    previous: shiftPeriod(period, -1, zone),
    sameLastMonth: periodContaining(period.kind, start.minus({ months: 1 }).toJSDate(), zone),
    sameLastYear: periodContaining(period.kind, start.minus({ years: 1 }).toJSDate(), zone),
  };
}
