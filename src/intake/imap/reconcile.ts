// The periodic full reconcile: a fresh SELECT of the watched folder (which reveals a UIDVALIDITY
// change that a long IDLE would not) and a drain from the checkpoint, catching any mail whose
// notification was missed.
import { drainNew, type DrainOptions } from './drain.ts';
import { selectWatchedFolder, type ImapSession } from './session.ts';

export async function reconcile(session: ImapSession, opts: DrainOptions = {}): Promise<number> {
  await selectWatchedFolder(session);
  return drainNew(session, opts);
}
