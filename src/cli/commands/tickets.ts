import type { Command } from 'commander';
import { localTime } from '../../sla/local-time.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../store/schema.ts';
import { findTicketByNumber, listTickets } from '../../store/tickets.ts';
import { ticketDetail, ticketSummary } from '../../views/ticket-view.ts';
import { printJson, withApp } from '../app-context.ts';
import { choiceOption, positiveInteger, ticketNumber } from '../arguments.ts';
import { UsageError } from '../errors.ts';
import { table } from '../columns.ts';
import { lines, say } from '../terminal-text.ts';

/** Longer subjects are cut in the list (terminal cells); `tickets show` has the whole. */
const SUBJECT_COLUMN = 60;

export function registerTicketsCommand(program: Command): void {
  const tickets = program.command('tickets').description('list and show tickets');
  tickets
    .command('list')
    .addOption(choiceOption('--status <status>', 'only tickets in this status', TICKET_STATUSES))
    .option('--limit <n>', 'at most this many, newest first', positiveInteger)
    .action(async (options: { status?: TicketStatus; limit?: number }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const rows: Awaited<ReturnType<typeof ticketSummary>>[] = [];
        for (const t of await listTickets(app.db, { status: options.status, limit: options.limit })) rows.push(await ticketSummary(app, t));
        if (global.json) return printJson(rows);
        const due = (t: (typeof rows)[number]) => (t.dueAt ? `due ${localTime(app, new Date(t.dueAt))}` : '');
        process.stdout.write(table(rows.map((t) => [`#${t.number}`, t.status, t.priority, t.customer.email, t.subject, due(t)]), { 4: SUBJECT_COLUMN }));
        if (!rows.length) say`no tickets\n`;
      });
    });
  tickets
    .command('show')
    .argument('<number>', 'ticket number', ticketNumber)
    .action(async (number: number, _options: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const ticket = await findTicketByNumber(app.db, number);
        if (!ticket) throw new UsageError(`no ticket #${number}`);
        const detail = await ticketDetail(app, ticket);
        if (global.json) return printJson(detail);
        say`#${detail.number} ${detail.subject}\n${detail.status}, ${detail.priority}${detail.type === 'complaint' ? ', complaint' : ''}, customer ${detail.customer.name} <${detail.customer.email}>\n`;
        if (detail.linkedTicket !== null) say`linked to #${detail.linkedTicket}\n`;
        if (detail.linkedFrom.length) say`linked from ${detail.linkedFrom.map((n) => `#${n}`).join(', ')}\n`;
        if (detail.resolution === 'self-served') say`self-served with the FAQ answer ${detail.selfServedFaq ?? '?'}\n`;
        if (detail.rating) say`rated ${detail.rating.score} of 5${detail.rating.comment ? `: ${detail.rating.comment}` : ''}\n`;
        for (const m of detail.messages) {
          // Each message names its real sender, who is not always the ticket's customer.
          const party = m.direction === 'in' ? `from ${m.fromName ? `${m.fromName} ` : ''}<${m.from}>` : `from ${m.fromName} to ${m.to.join(', ')}`;
          say`\n--- ${m.date} ${party} (${m.kind})\n${lines(m.text)}\n`;
          for (const a of m.attachments) say`  [attachment] ${a.filename} (${a.contentType}, ${a.size} bytes)\n`;
        }
      });
    });
}
