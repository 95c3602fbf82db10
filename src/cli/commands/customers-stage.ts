import type { Command } from 'commander';
import { setCustomerStage, stageText } from '../../customers/stage.ts';
import { findCustomer } from '../../store/customers.ts';
import { inTransaction } from '../../app.ts';
import { CUSTOMER_STAGES, type CustomerStage } from '../../store/schema.ts';
import { printJson, withApp } from '../app-context.ts';
import { UsageError } from '../errors.ts';
import { say } from '../terminal-text.ts';

const CHOICES = [...CUSTOMER_STAGES, 'auto'];

/** `postdesk customers stage <email> <stage|auto>`: fixes a customer's stage, above the configured and inferred one. */
export function registerCustomersStageCommand(customers: Command): void {
  customers
    .command('stage')
    .argument('<email>', 'customer address')
    .argument('<stage>', `${CUSTOMER_STAGES.join(', ')}, or auto (back to the configured or inferred stage)`)
    .description("set a customer's stage (prospect, new, existing) over the configured and inferred one")
    .action(async (email: string, stage: string, _o: unknown, cmd: Command) => {
      const wanted = stage.toLowerCase();
      if (!CHOICES.includes(wanted)) throw new UsageError(`stage must be one of ${CHOICES.join(', ')} (not ${JSON.stringify(stage)})`);
      await withApp(cmd, async (app, global) => {
        const { customer, now } = await inTransaction(app, async (tx) => {
          const customer = await findCustomer(tx.db, email);
          if (!customer) throw new UsageError(`no customer ${email}`);
          return { customer, now: await setCustomerStage(tx, customer, wanted === 'auto' ? null : (wanted as CustomerStage), 'command') };
        });
        if (global.json) return printJson({ email: customer.email, stage: now.stage, stageSource: now.source });
        say`${customer.email}: stage ${stageText(now)}\n`;
      });
    });
}
