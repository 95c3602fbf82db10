// Shared steps of the SLA tests: a customer mail through the real pipeline, the ticket's clocks.
import { openApp, silentLogger, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import type { IngestResult } from '../../src/inbound/ingest-result.ts';
import { runningClocks } from '../../src/store/sla-clocks.ts';
import { findTicketByNumber, type TicketRow } from '../../src/store/tickets.ts';
import { buildMail, type TestMail } from '../helpers/mail.ts';
import type { TestClock } from '../helpers/test-app.ts';

export const HOUR = 3_600_000;

export function ingest(app: App, raw: Buffer): Promise<IngestResult> {
  return ingestRawMail(app, { source: 'test', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
}

/** A customer's mail (Carol unless `from` says otherwise); fails unless it is stored on a ticket. */
export async function receive(app: App, mail: Partial<TestMail> = {}): Promise<TicketRow> {
  const result = await ingest(app, buildMail({ from: 'Carol <carol@customer.example>', ...mail }));
  if (result.ticket === null) throw new Error(`mail not stored: ${result.status} ${result.reason ?? ''}`);
  return (await findTicketByNumber(app.db, result.ticket))!;
}

export async function ticket(app: App, number: number): Promise<TicketRow> {
  return (await findTicketByNumber(app.db, number))!;
}

export async function running(app: App, t: TicketRow) {
  return (await runningClocks(app.db, t.id)).map((c) => ({ target: c.target, dueAt: c.dueAt.toISOString(), paused: c.pausedAt !== null }));
}

/** The same data directory opened again, as after a restart. */
export function reopen(app: App, clock: TestClock): Promise<App> {
  return openApp({ config: loadConfig({ configPath: app.config.configPath!, dataDir: app.config.dataDir, env: {} }), now: clock.now, log: silentLogger });
}
