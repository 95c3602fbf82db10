// After a mail is committed, the server is told: stored mail goes to the processed folder (or is
// only flagged), quarantined mail to the failed folder, so it is not fetched again and again.
// imapflow reports a refused MOVE or STORE by returning false, not by throwing: every answer is
// checked, a failure is tried again, and what still fails is returned, so that the checkpoint stays
// below it and a later drain settles it (the mail itself is stored: it comes back as a duplicate).
import type { ImapFlow } from 'imapflow';
import { describeError } from './connection-state.ts';
import { ensureFolder } from './folders.ts';
import type { ImapSession } from './session.ts';
import { PROCESSED_FLAGS } from './processed-flags.ts';

/** Pauses before the second and third try. */
export const SETTLE_RETRY_DELAYS_MS = [250, 1000];

export interface Settlement {
  processed: number[];
  failed: number[];
}

type SettleSession = Pick<ImapSession, 'app' | 'mailbox' | 'imap' | 'folders'> & { client: Pick<ImapFlow, 'messageMove' | 'messageFlagsAdd' | 'list' | 'mailboxCreate'> };

/** Settles on the server; returns the UIDs still unsettled after the retries, ascending. */
export async function settleOnServer(session: SettleSession, settlement: Settlement, retryDelaysMs = SETTLE_RETRY_DELAYS_MS): Promise<number[]> {
  const { client, imap, folders } = session;
  const moveTo = (uids: number[], folder: string, path: string) => ({
    uids,
    what: `move ${uids.length} mail(s) to ${folder}`,
    // Before a retry the folder is made sure of again: someone may have deleted it meanwhile.
    attempt: async (retry: boolean) => client.messageMove(uids, retry ? await ensureFolder(client, folder) : path, { uid: true }),
  });
  const steps: { uids: number[]; what: string; attempt: (retry: boolean) => Promise<unknown> }[] = [];
  if (settlement.processed.length) {
    if (imap.afterStore === 'move') steps.push(moveTo(settlement.processed, imap.processedFolder, folders.processed!));
    else steps.push({ uids: settlement.processed, what: `flag ${settlement.processed.length} mail(s)`, attempt: () => client.messageFlagsAdd(settlement.processed, PROCESSED_FLAGS, { uid: true }) });
  }
  if (settlement.failed.length) steps.push(moveTo(settlement.failed, imap.failedFolder, folders.failed));

  const unsettled: number[] = [];
  for (const step of steps) {
    const failure = await withRetries(step.attempt, retryDelaysMs);
    if (failure === null) continue;
    unsettled.push(...step.uids);
    session.app.log.warn(
      `mailbox ${session.mailbox.name}: could not ${step.what} (${failure}, ${retryDelaysMs.length + 1} tries); they are stored and stay in ${imap.folder} until a later drain (or backfill run) settles them`,
    );
  }
  return unsettled.sort((a, b) => a - b);
}

/** null when an attempt succeeded, else what went wrong the last time. */
async function withRetries(attempt: (retry: boolean) => Promise<unknown>, delaysMs: number[]): Promise<string | null> {
  for (let tries = 0; ; tries++) {
    let failure: string;
    try {
      // false (or nothing, when imapflow finds no folder selected) is imapflow's word for failed.
      if (await attempt(tries > 0)) return null;
      failure = 'the server refused it';
    } catch (err) {
      failure = describeError(err);
    }
    if (tries >= delaysMs.length) return failure;
    await new Promise((r) => setTimeout(r, delaysMs[tries]));
  }
}
