// The report's tables: one per section (total, complaints, each mailbox, each priority, satisfaction).
import { formatDuration } from '../sla/sla-view.ts';
import type { ComplaintFigures } from './complaints.ts';
import type { Figures, PeriodFigures } from './figures.ts';
import type { Report } from './report.ts';
import { percentCell, type ReportTable } from './report-table.ts';
import { satisfactionTables } from './satisfaction-view.ts';

const duration = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));

const FIGURE_ROWS: [string, (f: Figures) => string][] = [
  ['tickets created', (f) => String(f.created)],
  ['tickets resolved', (f) => String(f.resolved)],
  ['first response, median', (f) => duration(f.firstResponseMedianMs)],
  ['first response, 90th percentile', (f) => duration(f.firstResponseP90Ms)],
  ['SLA met', (f) => percentCell(f.slaMetPercent)],
  ['SLA breaches', (f) => String(f.breaches)],
];

const EMPTY: Figures = { created: 0, resolved: 0, firstResponseMedianMs: null, firstResponseP90Ms: null, slaMet: 0, breaches: 0, slaMetPercent: null };

const COMPLAINT_ROWS: [string, (c: ComplaintFigures) => string][] = [
  ['complaints received', (c) => String(c.received)],
  ['resolved', (c) => String(c.resolved)],
  ['time to resolve, median', (c) => duration(c.resolveMedianMs)],
  ['follow-ups sent', (c) => String(c.followUpsSent)],
  ['follow-ups answered', (c) => String(c.followUpsAnswered)],
  ['reopened after the follow-up', (c) => String(c.reopened)],
];

function table(title: string, periods: PeriodFigures[], pick: (p: PeriodFigures) => Figures | undefined): ReportTable {
  return { title, rows: FIGURE_ROWS.map(([figure, show]) => ({ figure, values: periods.map((p) => show(pick(p) ?? EMPTY)) })) };
}

export function reportTables(report: Report): ReportTable[] {
  const { previous, sameLastMonth, sameLastYear } = report.comparisons;
  const periods = [report.current, previous, sameLastMonth, sameLastYear];
  const keys = (select: (p: PeriodFigures) => Record<string, Figures>) => [...new Set(periods.flatMap((p) => Object.keys(select(p))))].sort();
  return [
    table('All tickets', periods, (p) => p.total),
    { title: 'Complaints received in the period, and their outcome', rows: COMPLAINT_ROWS.map(([figure, show]) => ({ figure, values: periods.map((p) => show(p.complaints)) })) },
    ...keys((p) => p.byMailbox).map((m) => table(`Mailbox ${m}`, periods, (p) => p.byMailbox[m])),
    ...keys((p) => p.byPriority).map((pr) => table(`Priority ${pr}`, periods, (p) => p.byPriority[pr])),
    ...satisfactionTables(report),
  ];
}
