import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { PERIOD_KINDS, type PeriodKind } from '../../reports/period.ts';
import { buildReport, reportPeriod } from '../../reports/report.ts';
import { renderHtml } from '../../reports/render-html.ts';
import { renderText } from '../../reports/render-text.ts';
import { withApp } from '../app-context.ts';
import { choiceOption } from '../arguments.ts';
import { UsageError } from '../errors.ts';
import { lines, say } from '../terminal-text.ts';

const FORMATS = ['text', 'html', 'json'] as const;

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('tickets, first-response times and SLA met % of a week or month, compared with earlier periods')
    .addOption(choiceOption('--period <kind>', 'a week or a month', PERIOD_KINDS).default('week'))
    .option('--at <date>', 'report the period containing this date (default: the last complete period)')
    .addOption(choiceOption('--format <format>', 'output format', FORMATS).default('text'))
    .action(async (options: { period: PeriodKind; at?: string; format: (typeof FORMATS)[number] }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        // A date without a time means that day in the configured zone, not UTC midnight.
        const at = options.at === undefined ? undefined : DateTime.fromISO(options.at, { zone: app.config.timeZone });
        if (at && !at.isValid) throw new UsageError(`--at: not an ISO date: ${options.at}`);
        const report = await buildReport(app, reportPeriod(app, options.period, at?.toJSDate()));
        const format = global.json ? 'json' : options.format;
        if (format === 'text') say`${lines(renderText(report))}`;
        else process.stdout.write(format === 'json' ? `${JSON.stringify(report)}\n` : renderHtml(report));
      });
    });
}
