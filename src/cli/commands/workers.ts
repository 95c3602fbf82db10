import type { Command } from 'commander';
import { listLeases } from '../../store/leases.ts';
import { listWorkers, outboxClaims, workerState } from '../../store/workers.ts';
import { formatDuration } from '../../sla/sla-view.ts';
import { printJson, withApp } from '../app-context.ts';
import { table } from '../columns.ts';
import { say } from '../terminal-text.ts';

export function registerWorkersCommand(program: Command): void {
  program
    .command('workers')
    .description('the `postdesk run` processes sharing this database: alive, dead or stopped, and what each holds')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const now = app.now();
        const leases = await listLeases(app.db);
        const claims = await outboxClaims(app.db);
        const rows = (await listWorkers(app.db)).map((w) => ({
          id: w.id,
          host: w.host,
          pid: w.pid,
          startedAt: w.startedAt.toISOString(),
          heartbeatAt: w.heartbeatAt.toISOString(),
          stoppedAt: w.stoppedAt?.toISOString() ?? null,
          state: workerState(w, now),
          leases: leases.filter((l) => l.workerId === w.id).map((l) => l.name),
          outboxClaims: claims.filter((c) => c.workerId === w.id).map((c) => c.outboxId),
        }));
        if (global.json) return printJson(rows);
        process.stdout.write(table(rows.map((r) => [r.id, r.state, `heartbeat ${ago(now.getTime() - Date.parse(r.heartbeatAt))}`, holds(r)])));
        if (!rows.length) say`no worker has run on this database (workers are \`postdesk run\` processes)\n`;
      });
    });
}

function ago(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s ago` : `${formatDuration(ms)} ago`;
}

function holds(r: { leases: string[]; outboxClaims: number[] }): string {
  const held = [...r.leases, ...(r.outboxClaims.length ? [`outbox mail(s) ${r.outboxClaims.join(', ')}`] : [])];
  return held.length ? `holds ${held.join(', ')}` : 'holds nothing';
}
