// The report as plain text for the terminal.
import type { Report } from './report.ts';
import { PERIOD_COLUMNS } from './report-table.ts';
import { reportTables } from './tables.ts';

export function renderText(report: Report): string {
  const { current, comparisons } = report;
  const out = [
    `Postdesk report ${current.period.label} (${report.timeZone})`,
    `compared with ${comparisons.previous.period.label}, ${comparisons.sameLastMonth.period.label}, ${comparisons.sameLastYear.period.label}`,
  ];
  const widths = [32, ...PERIOD_COLUMNS.map((c) => c.length + 2)];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('').trimEnd();
  for (const t of reportTables(report)) {
    out.push('', t.title, line(['', ...PERIOD_COLUMNS]));
    for (const row of t.rows) out.push(line([row.figure, ...row.values]));
  }
  out.push('', 'SLA met, last 12 periods:', ...report.slaTrend.map((p) => `  ${p.label.padEnd(10)} ${p.slaMetPercent === null ? '–' : `${p.slaMetPercent.toFixed(1)} %`}`));
  return `${out.join('\n')}\n`;
}
