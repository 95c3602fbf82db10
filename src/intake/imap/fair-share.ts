// Several workers spread the IMAP mailboxes: each drains at most its fair share, ceil(mailboxes /
// alive workers). Every worker has the same configuration, so each counts its own IMAP mailboxes.
// A worker standing by takes a free mailbox only while under its share (the one-second retries of
// those under it come first); a worker over its share hands one mailbox over per renewal period, not
// one it took within the last HOLD_AT_LEAST_MS, so that a worker joining later gets its share within
// seconds and two workers do not pass a mailbox back and forth.
import type { App } from '../../app.ts';
import type { Db } from '../../store/db.ts';
import { countLeasesHeld } from '../../store/leases.ts';
import { countAliveWorkers, HEARTBEAT_MS } from '../../store/workers.ts';

export const IMAP_LEASE_PREFIX = 'imap:';
/** A mailbox free this long is taken by any worker, whatever its share: none is left undrained. */
export const FREE_GRACE_MS = HEARTBEAT_MS;
/** A mailbox is not handed over within this long of being taken. */
export const HOLD_AT_LEAST_MS = 10_000;

export interface Share {
  held: number;
  share: number;
  alive: number;
}

/** One per worker's IMAP intake: its mailbox count, and when it last handed one over. */
export class FairShare {
  private handedOverAt = -Infinity;

  constructor(readonly mailboxes: number) {}

  async of(db: Db, workerId: string, now: Date): Promise<Share> {
    const alive = Math.max(1, await countAliveWorkers(db, now));
    const held = await countLeasesHeld(db, workerId, IMAP_LEASE_PREFIX, now);
    return { held, share: Math.ceil(this.mailboxes / alive), alive };
  }

  /** Standing by: whether this worker may take a free mailbox now (inside the transaction that takes it). */
  async mayTake(tx: App, freeForMs: number): Promise<boolean> {
    if (freeForMs >= FREE_GRACE_MS) return true;
    const { held, share } = await this.of(tx.db, tx.worker.id, tx.now());
    return held < share;
  }

  /** After a renewal: why this worker hands the mailbox over (one line), or undefined to keep it. */
  async handOver(app: App, mailbox: string, heldForMs: number): Promise<string | undefined> {
    if (heldForMs < HOLD_AT_LEAST_MS || Date.now() - this.handedOverAt < HEARTBEAT_MS) return undefined;
    const { held, share, alive } = await this.of(app.db, app.worker.id, app.now());
    if (held <= share) return undefined;
    this.handedOverAt = Date.now();
    return `mailbox ${mailbox}: handed over for balance (this worker holds ${held} of ${this.mailboxes} mailboxes; the fair share of ${alive} workers is ${share})`;
  }
}
