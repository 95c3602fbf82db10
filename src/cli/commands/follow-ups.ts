import type { Command } from 'commander';
import { isDone } from '../../follow-up/plan.ts';
import { runFollowUps } from '../../follow-up/send.ts';
import { localTime } from '../../sla/local-time.ts';
import { findCustomerById } from '../../store/customers.ts';
import { plannedFollowUps } from '../../store/follow-ups.ts';
import { printJson, withApp } from '../app-context.ts';
import { table } from '../columns.ts';
import { say } from '../terminal-text.ts';

/** Longer subjects are cut in the list (terminal cells). */
const SUBJECT_COLUMN = 60;

export function registerFollowUpsCommand(program: Command): void {
  const followUps = program
    .command('follow-ups')
    .description('follow-up mails planned after resolution: due or planned, and when')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const now = app.now();
        const rows = [];
        for (const t of await plannedFollowUps(app.db)) {
          rows.push({
            number: t.number,
            type: t.type,
            subject: t.subject,
            customer: (await findCustomerById(app.db, t.customerId))?.email ?? '',
            resolvedAt: isDone(t) ? (t.resolvedAt?.toISOString() ?? null) : null,
            followUpAt: t.followUpAt!.toISOString(),
            state: t.followUpAt! <= now ? 'due' : 'planned',
          });
        }
        if (global.json) return printJson(rows);
        process.stdout.write(table(rows.map((r) => [`#${r.number}`, r.type, r.state, localTime(app, new Date(r.followUpAt)), r.customer, r.subject]), { 5: SUBJECT_COLUMN }));
        if (!rows.length) say`no follow-up planned\n`;
      });
    });
  followUps
    .command('send')
    .description('run the follow-up loop once: queue the due follow-ups (or remind agents of a low rating)')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const pass = await runFollowUps(app);
        if (global.json) return printJson(pass);
        say`${pass.followUps} follow-up(s) queued, ${pass.reminders} reminder(s) to agents, ${pass.cancelled} cancelled\n`;
      });
    });
}
