import type { Command } from 'commander';
import { customerStage, stageText } from '../../customers/stage.ts';
import { findCustomer } from '../../store/customers.ts';
import { listTickets } from '../../store/tickets.ts';
import { ticketSummary } from '../../views/ticket-view.ts';
import { printJson, withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { say } from '../terminal-text.ts';

export function registerCustomersCommand(program: Command): Command {
  const customers = program.command('customers').description('customers and their whole history');
  customers
    .command('show')
    .argument('<email>', 'customer address')
    .action(async (email: string, _o: unknown, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const customer = await findCustomer(app.db, email);
        if (!customer) throw new UsageError(`no customer ${email}`);
        const tickets = [];
        for (const t of await listTickets(app.db, { customerId: customer.id })) tickets.push(await ticketSummary(app, t));
        const stage = await customerStage(app, customer);
        const view = {
          email: customer.email,
          name: customer.name,
          vip: customer.vip,
          stage: stage.stage,
          /** Who decided the stage: agent, command, config or inferred. */
          stageSource: stage.source,
          language: customer.language,
          since: customer.createdAt.toISOString(),
          tickets,
        };
        if (global.json) return printJson(view);
        say`${customer.name ?? ''} <${customer.email}>${customer.vip ? '  VIP' : ''}, stage ${stageText(stage)}, customer since ${view.since}\n`;
        for (const t of tickets) say`  #${t.number}  ${t.status.padEnd(8)} ${t.createdAt}  ${(t.customerStage ?? '-').padEnd(8)}  ${t.subject}\n`;
      });
    });
  return customers;
}
