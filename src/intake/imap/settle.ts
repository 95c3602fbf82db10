// After a mail is committed, the server is told: stored mail goes to the processed folder (or is
// only flagged), quarantined mail to the failed folder, so it is not fetched again and again.
import type { ImapFlow } from 'imapflow';
import type { ImapConfig } from '../../config/schema.ts';
import { ensureFolder, folderPath } from './folders.ts';

/** What `afterStore: flag` sets; `\Seen` too, as a person reading the mailbox expects. */
export const PROCESSED_FLAGS = ['\\Seen', '$Postdesk'];

export interface Settlement {
  processed: number[];
  failed: number[];
}

export async function ensureSettleFolders(client: ImapFlow, imap: ImapConfig): Promise<void> {
  if (imap.afterStore === 'move') await ensureFolder(client, imap.processedFolder);
  await ensureFolder(client, imap.failedFolder);
}

export async function settleOnServer(client: ImapFlow, imap: ImapConfig, settlement: Settlement): Promise<void> {
  if (settlement.processed.length) {
    if (imap.afterStore === 'move') await client.messageMove(settlement.processed, folderPath(imap.processedFolder), { uid: true });
    else await client.messageFlagsAdd(settlement.processed, PROCESSED_FLAGS, { uid: true });
  }
  if (settlement.failed.length) await client.messageMove(settlement.failed, folderPath(imap.failedFolder), { uid: true });
}
