import type { Command } from 'commander';
import { openDelivery } from '../../outbound/delivery.ts';
import { deliverDueMail } from '../../outbound/sender.ts';
import { listOutbox } from '../../store/outbox.ts';
import { OUTBOX_STATUSES } from '../../store/schema.ts';
import { printJson, withApp } from '../app-context.ts';
import { choiceOption } from '../arguments.ts';
import { say } from '../terminal-text.ts';
import { joinWorkers } from '../../workers/membership.ts';

export function registerOutboxCommand(program: Command): void {
  const outbox = program.command('outbox').description('outgoing mail: the queue the sender loop of `postdesk run` delivers');
  outbox
    .command('flush')
    .description('deliver every mail that is due now, once (SMTP, or .eml files in data/outbox-sent/ without SMTP)')
    .action(async (_o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        // Its claims name it as a worker: registered while it runs, so that the senders of `postdesk
        // run` processes leave them alone (an unregistered worker's claim is free for them at once).
        const membership = await joinWorkers(app, { oneShot: true });
        const delivery = openDelivery(app);
        try {
          const summary = await deliverDueMail(app, delivery);
          if (global.json) printJson({ ...summary, via: delivery.name });
          else say`${summary.sent} sent, ${summary.retrying} retrying, ${summary.failed} failed (via ${delivery.name})\n`;
        } finally {
          delivery.close();
          await membership.leave();
        }
      });
    });
  outbox
    .command('list')
    .description('the queued, sent and failed mails')
    .addOption(choiceOption('--status <status>', 'only mails in this status', OUTBOX_STATUSES))
    .action(async (options: { status?: (typeof OUTBOX_STATUSES)[number] }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const rows = (await listOutbox(app.db, { status: options.status })).map((r) => ({
          id: r.id,
          kind: r.kind,
          recipient: r.recipient,
          status: r.status,
          attempts: r.attempts,
          messageId: r.messageId,
          nextAttemptAt: r.nextAttemptAt.toISOString(),
          lastError: r.lastError,
        }));
        if (global.json) return printJson(rows);
        // Columns as wide as the longest status there is and the longest kind listed, so they line up.
        const statusWidth = Math.max(...OUTBOX_STATUSES.map((s) => s.length));
        const kindWidth = Math.max(0, ...rows.map((r) => r.kind.length));
        for (const r of rows) say`${r.id}  ${r.status.padEnd(statusWidth)}  ${r.kind.padEnd(kindWidth)}  ${r.recipient}${r.lastError ? `  (${r.lastError})` : ''}\n`;
        if (!rows.length) say`outbox is empty\n`;
      });
    });
}
