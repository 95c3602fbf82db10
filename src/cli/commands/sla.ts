import type { Command } from 'commander';
import { localTime } from '../../sla/local-time.ts';
import { formatDuration, slaList, type SlaListEntry } from '../../sla/sla-view.ts';
import { runSlaTick } from '../../sla/tick.ts';
import type { App } from '../../app.ts';
import { printJson, withApp } from '../app-context.ts';
import { say, shown } from '../terminal-text.ts';

export function registerSlaCommand(program: Command): void {
  const sla = program
    .command('sla')
    .description('open tickets by due time: ok / at risk / breached / paused, and the time left')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const rows = await slaList(app);
        if (global.json) return printJson(rows);
        for (const r of rows) say`${slaLine(app, r)}\n`;
        if (!rows.length) say`no open ticket has a running SLA target\n`;
      });
    });
  sla
    .command('tick')
    .description('run the SLA loop once: sync clocks, send due warnings and breach notices')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const result = await runSlaTick(app);
        if (global.json) return printJson(result);
        say`${result.warnings} warning(s), ${result.breaches} breach notice(s), ${result.synced} ticket(s) brought in step\n`;
      });
    });
}

/** One ticket of `postdesk sla`, safe to print: state, priority, due time, time left, target, customer, subject. */
export function slaLine(app: App, r: SlaListEntry): string {
  const left = r.state === 'breached' ? `${formatDuration(-r.timeLeftMs)} over` : `${formatDuration(r.timeLeftMs)} left`;
  return shown`#${r.number}  ${r.state.padEnd(8)} ${r.priority.padEnd(7)} due ${localTime(app, new Date(r.dueAt))}  ${left.padEnd(12)} ${r.target.padEnd(14)} ${r.customer}  ${r.subject}`;
}
