import type { Command } from 'commander';
import { registerCustomersCommand } from './customers.ts';
import { registerFaqCommand } from './faq.ts';
import { registerIngestCommand } from './ingest.ts';
import { registerQuarantineCommand } from './quarantine.ts';
import { registerRunCommand } from './run.ts';
import { registerTicketsCommand } from './tickets.ts';

/** Each verb lives in its own module; this list is the whole command surface. */
export function registerCommands(program: Command): void {
  registerRunCommand(program);
  registerIngestCommand(program);
  registerTicketsCommand(program);
  registerCustomersCommand(program);
  registerQuarantineCommand(program);
  registerFaqCommand(program);
}
