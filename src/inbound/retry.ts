// Runs a quarantined mail through the pipeline again (after a fix, or a raised size limit).
import { inTransaction, mailboxByName, type App } from '../app.ts';
import { findQuarantine, markReleased, markRetried, rawOfQuarantined } from '../store/quarantine.ts';
import { ingestRawMail } from './pipeline.ts';
import { UsageError } from '../cli/errors.ts';
import type { IngestResult } from './ingest-result.ts';

export async function retryQuarantined(app: App, id: number): Promise<IngestResult> {
  const held = await findQuarantine(app.db, id);
  if (!held || held.status !== 'held') throw new UsageError(`quarantine: no held mail with id ${id}`);
  const mailbox = app.mailboxes.find((m) => m.name === held.mailbox) ?? mailboxByName(app, undefined);
  const result = await ingestRawMail(app, {
    source: `quarantine:${id}`,
    mailbox,
    raw: await app.raw.get(rawOfQuarantined(held)),
    receivedAt: held.createdAt,
  });
  await inTransaction(app, ({ db }) => (result.status === 'quarantined' ? markRetried(db, id, app.now()) : markReleased(db, id, app.now())));
  return result;
}
