import type { Command } from 'commander';
import { retryQuarantined } from '../../inbound/retry.ts';
import { listQuarantine } from '../../store/quarantine.ts';
import { describeResult } from '../../service/run.ts';
import { printJson, withApp } from '../app-context.ts';
import { positiveInteger } from '../arguments.ts';
import { UsageError } from '../errors.ts';
import { say } from '../terminal-text.ts';

export function registerQuarantineCommand(program: Command): void {
  const quarantine = program.command('quarantine').description('mails that could not be processed, kept raw with the reason');
  quarantine.command('list').action(async (_o: unknown, cmd: Command) => {
    await withApp(cmd, async (app, global) => {
      const rows = (await listQuarantine(app.db)).map((q) => ({
        id: q.id,
        source: q.source,
        mailbox: q.mailbox,
        reason: q.reason,
        size: q.rawSize,
        sha256: q.rawSha256,
        createdAt: q.createdAt.toISOString(),
      }));
      if (global.json) return printJson(rows);
      for (const q of rows) say`${q.id}  ${q.createdAt}  ${q.source}  ${q.reason}\n`;
      if (!rows.length) say`quarantine is empty\n`;
    });
  });
  quarantine
    .command('retry')
    .argument('[id]', 'quarantine id', positiveInteger)
    .option('--all', 'retry every held mail')
    .action(async (id: number | undefined, options: { all?: boolean }, cmd: Command) => {
      if (!id && !options.all) throw new UsageError('quarantine retry: give an id or --all');
      await withApp(cmd, async (app, global) => {
        const ids = options.all ? (await listQuarantine(app.db)).map((q) => q.id) : [id!];
        for (const qid of ids) {
          const result = await retryQuarantined(app, qid);
          if (global.json) printJson({ id: qid, ...result });
          else say`${qid}: ${describeResult(result)}\n`;
        }
      });
    });
}
