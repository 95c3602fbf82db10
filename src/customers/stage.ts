// A customer's stage (prospect / new / existing: the stages the help center groups its answers by).
// Who decides, strongest first: an agent's `#stage` or `postdesk customers stage` (stored with
// stageSetBy), the configuration's lists (./configured-stage.ts), else their tickets (./inferred-stage.ts).
// customers.stage keeps the latest answer for SQL readers; customerStage() is the one to call.
import type { App } from '../app.ts';
import { updateCustomer, type CustomerRow } from '../store/customers.ts';
import type { CustomerStage } from '../store/schema.ts';
import { configuredStage } from './configured-stage.ts';
import { inferredStage } from './inferred-stage.ts';

export type StageSource = 'agent' | 'command' | 'config' | 'inferred';

export interface CurrentStage {
  stage: CustomerStage;
  source: StageSource;
}

/** The customer's stage now, and who decided it. */
export async function customerStage(app: App, customer: Pick<CustomerRow, 'id' | 'email' | 'stage' | 'stageSetBy'>): Promise<CurrentStage> {
  if (customer.stageSetBy === 'agent' || customer.stageSetBy === 'command') return { stage: customer.stage, source: customer.stageSetBy };
  const configured = configuredStage(app.config.customers, customer.email);
  if (configured) return { stage: configured, source: 'config' };
  return { stage: await inferredStage(app, customer.id), source: 'inferred' };
}

/** Fixes the stage (`stage`), or hands it back to the configuration and the tickets (null). Returns the stage now. */
export async function setCustomerStage(app: App, customer: CustomerRow, stage: CustomerStage | null, by: 'agent' | 'command'): Promise<CurrentStage> {
  const now = stage ? { stage, source: by } : await customerStage(app, { ...customer, stageSetBy: null });
  await storeStage(app, customer, now);
  return now;
}

/** The stage now, written to the customer's row when it changed. */
export async function refreshCustomerStage(app: App, customer: CustomerRow): Promise<CurrentStage> {
  const now = await customerStage(app, customer);
  await storeStage(app, customer, now);
  return now;
}

async function storeStage(app: App, customer: CustomerRow, { stage, source }: CurrentStage): Promise<void> {
  const stageSetBy = source === 'inferred' ? null : source;
  if (customer.stage !== stage || customer.stageSetBy !== stageSetBy) await updateCustomer(app.db, customer.id, { stage, stageSetBy });
}

const SOURCE_WORDS: Record<StageSource, string> = { agent: 'set by an agent', command: 'set by command', config: 'configured', inferred: 'inferred' };

/** `existing (configured)`: how the CLI shows a stage. */
export function stageText({ stage, source }: CurrentStage): string {
  return `${stage} (${SOURCE_WORDS[source]})`;
}
