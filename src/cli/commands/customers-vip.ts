import type { Command } from 'commander';
import { inTransaction } from '../../app.ts';
import { findCustomer, updateCustomer } from '../../store/customers.ts';
import { printJson, withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { say } from '../terminal-text.ts';

/** `postdesk customers vip <email> [--off]`: VIP customers get the VIP priority and its SLA policy. */
export function registerCustomersVipCommand(customers: Command): void {
  customers
    .command('vip')
    .argument('<email>', 'customer address')
    .option('--off', 'remove the VIP flag')
    .description('flag a customer as VIP (their new mail gets the VIP priority and SLA policy)')
    .action(async (email: string, options: { off?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const vip = !options.off;
        const customer = await inTransaction(app, async ({ db }) => {
          const customer = await findCustomer(db, email);
          if (!customer) throw new UsageError(`no customer ${email}`);
          await updateCustomer(db, customer.id, { vip });
          return customer;
        });
        if (global.json) return printJson({ email: customer.email, vip });
        say`${customer.email}: ${vip ? 'VIP' : 'no longer VIP'}\n`;
      });
    });
}
