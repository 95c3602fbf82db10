// The report as one self-contained HTML page (also the weekly mail's body): tables plus inline SVG
// charts, no script, no external resources.
import { escapeHtml } from './escape-html.ts';
import type { Report } from './report.ts';
import { percentLineChart, barChart } from './svg-charts.ts';
import { PERIOD_COLUMNS } from './report-table.ts';
import { reportTables } from './tables.ts';
import { satisfactionChart } from './satisfaction-view.ts';

export function renderHtml(report: Report): string {
  const { current, comparisons } = report;
  const title = `Postdesk report ${current.period.label}`;
  const tables = reportTables(report).map((t) =>
    [
      `<h2>${escapeHtml(t.title)}</h2>`,
      '<table>',
      `<thead><tr><th scope="col">figure</th>${PERIOD_COLUMNS.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
      '<tbody>',
      ...t.rows.map((r) => `<tr><th scope="row">${escapeHtml(r.figure)}</th>${r.values.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`),
      '</tbody></table>',
    ].join('\n'),
  );
  const charts = [
    barChart('Tickets created per day', report.volumePerDay.map((d) => ({ label: d.date.slice(5), value: d.created }))),
    barChart('First-response time distribution (tickets)', report.responseTimeDistribution.map((b) => ({ label: b.label, value: b.count }))),
    percentLineChart('SLA met %, last 12 periods', report.slaTrend.map((p) => ({ label: p.label, value: p.slaMetPercent }))),
    satisfactionChart(report),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th[scope="row"], thead th:first-child { text-align: left; }
figure { margin: 1rem 0; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Times in ${escapeHtml(report.timeZone)}. Compared with the previous period (${escapeHtml(comparisons.previous.period.label)}), the same period last month (${escapeHtml(comparisons.sameLastMonth.period.label)}) and last year (${escapeHtml(comparisons.sameLastYear.period.label)}).</p>
${charts.map((svg) => `<figure>\n${svg}\n</figure>`).join('\n')}
${tables.join('\n')}
</body>
</html>
`;
}
