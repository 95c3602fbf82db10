// Customer satisfaction as the report shows it: two tables over the periods (totals, CSAT per
// agent) and this period's CSAT per agent as a bar chart.
import type { Report } from './report.ts';
import { percentCell, type ReportTable } from './report-table.ts';
import { NO_AGENT, type Satisfaction } from './satisfaction.ts';
import { barChart } from './svg-charts.ts';

const csatOf = (s: Satisfaction | undefined) => (s === undefined || s.csatPercent === null ? '–' : `${percentCell(s.csatPercent)} of ${s.rated}`);
const agentLabel = (report: Report, agent: string) => (agent === NO_AGENT ? 'no agent (self-served)' : (report.agentNames[agent] ?? agent));

const ROWS: [string, (s: Satisfaction) => string][] = [
  ['tickets resolved', (s) => String(s.resolved)],
  ['rated', (s) => String(s.rated)],
  ['response rate', (s) => percentCell(s.responseRatePercent)],
  ['CSAT (rated 4–5)', (s) => percentCell(s.csatPercent)],
  ['average rating', (s) => (s.averageRating === null ? '–' : s.averageRating.toFixed(2))],
];

/** Two tables over the report's periods: the totals, and CSAT per agent (`80.0 % of 5` ratings). */
export function satisfactionTables(report: Report): ReportTable[] {
  const periods = [report.current, ...Object.values(report.comparisons)].map((p) => p.satisfaction);
  const agents = [...new Set(periods.flatMap((p) => Object.keys(p.byAgent)))].sort();
  const total: ReportTable = { title: 'Satisfaction', rows: ROWS.map(([figure, show]) => ({ figure, values: periods.map((p) => show(p.total)) })) };
  if (!agents.length) return [total];
  return [
    total,
    { title: 'CSAT by agent (rated 4–5, of the ratings)', rows: agents.map((agent) => ({ figure: agentLabel(report, agent), values: periods.map((p) => csatOf(p.byAgent[agent])) })) },
  ];
}

/** This period's CSAT per agent and in total, as bars on a 0–100 % scale. */
export function satisfactionChart(report: Report): string {
  const { byAgent, total } = report.current.satisfaction;
  const bars = [
    ...Object.entries(byAgent).map(([agent, s]) => ({ label: agentLabel(report, agent), s })),
    { label: 'all tickets', s: total },
  ];
  const note = (s: Satisfaction) => (s.csatPercent === null ? 'no ratings' : `${csatOf(s)} ratings`);
  return barChart('CSAT by agent, this period', bars.map(({ label, s }) => ({ label, value: s.csatPercent === null ? null : Number(s.csatPercent.toFixed(1)) })), {
    unit: ' %',
    max: 100,
    description: bars.map(({ label, s }) => `${label}: ${note(s)}`).join('; '),
  });
}
