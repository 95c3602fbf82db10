import type { Command } from 'commander';
import { registerCustomersCommand } from './customers.ts';
import { registerCustomersVipCommand } from './customers-vip.ts';
import { registerSlaCommand } from './sla.ts';
import { registerReportCommand } from './report.ts';
import { registerFaqCommand } from './faq.ts';
import { registerImapCommand } from './imap.ts';
import { registerIngestCommand } from './ingest.ts';
import { registerOutboxCommand } from './outbox.ts';
import { registerPollCommand } from './poll.ts';
import { registerQuarantineCommand } from './quarantine.ts';
import { registerRawCommand } from './raw.ts';
import { registerRunCommand } from './run.ts';
import { registerTicketsCommand } from './tickets.ts';

/** Each verb lives in its own module; this list is the whole command surface. */
export function registerCommands(program: Command): void {
  registerRunCommand(program);
  registerIngestCommand(program);
  registerPollCommand(program);
  registerImapCommand(program);
  registerTicketsCommand(program);
  registerCustomersVipCommand(registerCustomersCommand(program));
  registerSlaCommand(program);
  registerReportCommand(program);
  registerQuarantineCommand(program);
  registerRawCommand(program);
  registerOutboxCommand(program);
  registerFaqCommand(program);
}
