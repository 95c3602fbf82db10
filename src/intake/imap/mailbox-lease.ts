// One worker at a time drains a mailbox: the one holding the lease `imap:<mailbox name>` (see
// store/leases.ts). It renews the lease with the heartbeat and ends its session when the lease is
// lost or handed over for balance (fair-share.ts); the others stand by and ask again every second,
// so a released lease is taken at once and a dead holder's when it runs out. Fencing: every
// checkpoint of a drain renews the lease in the same transaction, so a worker that lost it cannot
// move the checkpoint.
import { inTransaction, type App } from '../../app.ts';
import { sleep } from '../../service/run.ts';
import { holdLease, leaseHolder, LEASE_MS, releaseLease } from '../../store/leases.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { HEARTBEAT_MS } from '../../store/workers.ts';
import { IMAP_LEASE_PREFIX, type FairShare } from './fair-share.ts';

const STANDBY_RETRY_MS = 1000;

/** This worker does not (or no longer) hold the mailbox: its session must end. */
export class LeaseLost extends Error {}

/** Another worker drains the mailbox (`poll --once` does not wait for it). */
export class MailboxBusy extends Error {}

/** This worker holds more than its fair share: the session ends after the mail in hand, and the lease is released. */
export class HandedOver extends Error {}

function leaseName(mailbox: MailboxRow): string {
  return `${IMAP_LEASE_PREFIX}${mailbox.name}`;
}

/**
 * Inside a transaction: takes or renews the lease; undefined when this worker holds it now, else the
 * worker that does. Writers take turns, so no other worker changes the lease between the two statements.
 */
async function holdOrName(tx: App, mailbox: MailboxRow): Promise<string | undefined> {
  const now = tx.now(); // one moment for both: a lease that ran out between them would name no holder
  if (await holdLease(tx.db, leaseName(mailbox), tx.worker.id, now)) return undefined;
  return (await leaseHolder(tx.db, leaseName(mailbox), now)) ?? '';
}

function tryHold(app: App, mailbox: MailboxRow): Promise<string | undefined> {
  return inTransaction(app, (tx) => holdOrName(tx, mailbox));
}

/** Fencing, inside a transaction that moves the checkpoint: renews the lease, throws LeaseLost when another worker holds it. */
export async function fenceMailbox(tx: App, mailbox: MailboxRow): Promise<void> {
  const holder = await tryHold(tx, mailbox);
  if (holder !== undefined) throw new LeaseLost(`mailbox ${mailbox.name}: worker ${holder} holds the lease now; this worker stops draining it (the mails it stored are kept)`);
}

/** For a one-off drain: takes the lease or throws MailboxBusy naming the worker that holds it. */
export async function takeMailboxLease(app: App, mailbox: MailboxRow): Promise<HeldLease> {
  const holder = await tryHold(app, mailbox);
  if (holder !== undefined) throw new MailboxBusy(`mailbox ${mailbox.name} is being drained by worker ${holder} (postdesk workers)`);
  return keepMailboxLease(app, mailbox, new AbortController().signal);
}

/**
 * Standing by: takes the lease when it is free and this worker's fair share allows (undefined); else
 * the worker holding it, or '' while it stays free for one under its share.
 */
async function tryTakeFairly(app: App, mailbox: MailboxRow, fair: FairShare, freeForMs: number): Promise<string | undefined> {
  return inTransaction(app, async (tx) => {
    const holder = await leaseHolder(tx.db, leaseName(mailbox), tx.now());
    if (holder !== undefined && holder !== tx.worker.id) return holder;
    if (holder === undefined && !(await fair.mayTake(tx, freeForMs))) return '';
    return holdOrName(tx, mailbox);
  });
}

/** Stands by until this worker holds the lease (true) or `signal` aborts (false). */
export async function awaitMailboxLease(app: App, mailbox: MailboxRow, fair: FairShare, signal: AbortSignal): Promise<boolean> {
  let told = ''; // one line per change of holder or error, not one per second
  const tell = (line: string, warn = false) => {
    if (line !== told) (warn ? app.log.warn : app.log.info)((told = line));
  };
  let freeSince: number | undefined; // as seen from here: a lease no one under their share takes is taken after the grace
  while (!signal.aborted) {
    try {
      const holder = await tryTakeFairly(app, mailbox, fair, freeSince === undefined ? 0 : Date.now() - freeSince);
      if (holder === undefined) return true;
      freeSince = holder ? undefined : (freeSince ?? Date.now());
      if (holder) tell(`mailbox ${mailbox.name} is drained by worker ${holder}; standing by`);
    } catch (err) {
      tell(`mailbox ${mailbox.name}: cannot ask for its lease (${(err as Error).message}); trying every second`, true);
    }
    await sleep(STANDBY_RETRY_MS, signal);
  }
  return false;
}

export interface HeldLease {
  /** Aborts when the lease is lost (its reason a LeaseLost) or the given signal aborts. */
  signal: AbortSignal;
  /** Ends the session's hold: a LeaseLost its drain ran into. */
  lose(err: LeaseLost): void;
  /** Stops renewing and gives the lease up, so that a worker standing by takes it at once. */
  release(): Promise<void>;
}

/** Renews the lease every heartbeat while the session runs; with `fair`, hands it over when this worker holds more than its share. */
export function keepMailboxLease(app: App, mailbox: MailboxRow, stop: AbortSignal, fair?: FairShare): HeldLease {
  const held = new AbortController();
  const lose = (err: LeaseLost) => held.abort(err);
  const onStop = () => held.abort(stop.reason);
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  const takenAt = Date.now();
  let renewedAt = takenAt;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      const asked = Date.now();
      try {
        const holder = await tryHold(app, mailbox);
        if (holder !== undefined) return lose(new LeaseLost(`mailbox ${mailbox.name}: worker ${holder} took its lease over`));
        renewedAt = asked;
        if (held.signal.aborted) return; // ending already: counted as held until released
        const handOver = await fair?.handOver(app, mailbox.name, asked - takenAt);
        if (handOver) held.abort(new HandedOver(handOver));
      } catch (err) {
        // The lease runs out on its own, and then another worker may take the mailbox: this one
        // steps back before, when the next renewal would come too late.
        const failingMs = Date.now() - renewedAt;
        if (failingMs + HEARTBEAT_MS >= LEASE_MS) lose(new LeaseLost(`mailbox ${mailbox.name}: its lease could not be renewed for ${(failingMs / 1000).toFixed(0)} s (${(err as Error).message})`));
      }
    });
  }, HEARTBEAT_MS);
  return {
    signal: held.signal,
    lose,
    async release() {
      clearInterval(timer);
      stop.removeEventListener('abort', onStop);
      await renewing;
      try {
        await inTransaction(app, ({ db, worker }) => releaseLease(db, leaseName(mailbox), worker.id));
      } catch (err) {
        app.log.warn(`mailbox ${mailbox.name}: its lease was not released (${(err as Error).message}); it runs out in ${LEASE_MS / 1000} s`);
      }
    },
  };
}
