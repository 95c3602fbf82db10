// The long-running intake of IMAP mailboxes: per mailbox, connect, drain, then IDLE until the
// server announces mail, with a fallback poll (servers without IDLE, missed notices) and a periodic
// reconcile. A lost connection is retried with capped exponential backoff and jitter; a mailbox
// that cannot work (refused login) stops alone while the others go on. Of several workers, only
// the one holding a mailbox's lease watches it (mailbox-lease.ts), each its fair share (fair-share.ts).
import type { App } from '../../app.ts';
import type { IngestResult } from '../../inbound/ingest-result.ts';
import { UsageError } from '../../cli/errors.ts';
import { localMaildirLoop, sleep, type Loop } from '../../service/run.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { ConnectionState } from './connection-state.ts';
import { imapMailboxes, MailboxUnusable } from './connection.ts';
import { drainNew } from './drain.ts';
import { IdleHealth, recordIdleVerdict } from './idle-health.ts';
import { FairShare } from './fair-share.ts';
import { awaitMailboxLease, HandedOver, keepMailboxLease, LeaseLost, type HeldLease } from './mailbox-lease.ts';
import { MailSignal } from './mail-signal.ts';
import { reconcile } from './reconcile.ts';
import { closeSession, openSession, type ImapSession } from './session.ts';

export interface WatchOptions {
  backoff?: BackoffOptions;
  /** Shared by the mailboxes of one worker; by default its own, over the configured IMAP mailboxes. */
  fair?: FairShare;
}

/** One Loop for all IMAP mailboxes; it fails only when no mailbox can work, so `run` exits non-zero. */
export function imapIntakeLoop(app: App, mailboxes: MailboxRow[], opts: WatchOptions = {}): Loop {
  return {
    name: `imap ${mailboxes.map((m) => m.name).join(', ')}`,
    async run(signal) {
      const unusable: string[] = [];
      const watch = { ...opts, fair: opts.fair ?? new FairShare(imapMailboxes(app).length) };
      await Promise.all(
        mailboxes.map(async (mailbox) => {
          const reason = await watchMailbox(app, mailbox, signal, watch);
          if (reason) unusable.push(reason);
        }),
      );
      // A configuration mistake on every mailbox: one line and exit code 2, like any config error.
      if (unusable.length === mailboxes.length) throw new UsageError(`no mailbox can work: ${unusable.join('; ')}`);
    },
  };
}

/**
 * Watches one mailbox until signal aborts, while this worker holds its lease (standing by while
 * another does); returns the reason when the mailbox cannot work at all.
 */
export async function watchMailbox(app: App, mailbox: MailboxRow, signal: AbortSignal, opts: WatchOptions = {}): Promise<string | undefined> {
  const watching: Watching = { backoff: new Backoff(opts.backoff) };
  const fair = opts.fair ?? new FairShare(imapMailboxes(app).length);
  while (await awaitMailboxLease(app, mailbox, fair, signal)) {
    const lease = keepMailboxLease(app, mailbox, signal, fair);
    try {
      const unusable = await watchWhileHeld(app, mailbox, lease, new ConnectionState(app.log, mailbox.name), watching);
      if (unusable) return unusable;
    } finally {
      // After the mail in hand: the session ends between batches.
      await lease.release();
    }
    if (lease.signal.reason instanceof LeaseLost) app.log.warn(`${lease.signal.reason.message}; standing by`);
    if (lease.signal.reason instanceof HandedOver) app.log.info(lease.signal.reason.message);
  }
  return undefined;
}

/** What a mailbox's watch keeps across sessions. */
interface Watching {
  backoff: Backoff;
  /** A server whose IDLE does not deliver does not start to after a reconnect. */
  health?: IdleHealth;
}

/** Sessions, reconnecting with backoff, until the lease's signal aborts; the reason when the mailbox cannot work. */
async function watchWhileHeld(app: App, mailbox: MailboxRow, lease: HeldLease, state: ConnectionState, watching: Watching): Promise<string | undefined> {
  const { backoff } = watching;
  const signal = lease.signal;
  while (!signal.aborted) {
    let session: ImapSession | null = null;
    try {
      session = await openSession(app, mailbox);
      if (!watching.health) {
        watching.health = new IdleHealth(app.log, mailbox.name, session.imap);
        await recordIdleVerdict(app, mailbox, watching.health);
      }
      const health = watching.health;
      const { uidValidity, lastUid } = session.checkpoint;
      state.connected(`watching ${session.imap.folder} (UIDVALIDITY ${uidValidity}, last UID ${lastUid})`);
      await watchSession(session, health, signal, () => backoff.reset());
    } catch (err) {
      if (err instanceof MailboxUnusable) {
        state.unusable(err);
        return err.message;
      }
      if (err instanceof LeaseLost) lease.lose(err);
      if (signal.aborted) break;
      state.disconnected(err);
      await sleep(backoff.next(), signal);
    } finally {
      if (session) await closeSession(session);
    }
  }
  return undefined;
}

/** Drain, IDLE, wake, repeat: until stopped (returns) or the connection fails (throws). */
async function watchSession(session: ImapSession, health: IdleHealth, signal: AbortSignal, onDrained: () => void): Promise<void> {
  const { client, imap } = session;
  const mail = new MailSignal(client);
  const shouldStop = () => signal.aborted;
  // New mail, for IDLE health: a mail whose settle failed before comes back as a duplicate, unannounced.
  let fresh = 0;
  const onResult = (r: IngestResult) => void (r.status !== 'duplicate' && (fresh += 1));
  const reconcileMs = imap.reconcileIntervalSeconds * 1000;
  let reconcileAt = Date.now() + reconcileMs;
  await drainNew(session, { shouldStop });
  onDrained();
  while (!signal.aborted) {
    // IDLE runs until the next command breaks it; imapflow does that before our next fetch.
    client.idle().catch(() => {});
    await mail.wait(Math.min(health.pollMs, Math.max(0, reconcileAt - Date.now())), signal);
    if (mail.connectionClosed) throw new Error('connection closed by the server');
    if (signal.aborted) break;
    const reason = mail.reason;
    mail.clear();
    fresh = 0;
    if (Date.now() >= reconcileAt) {
      await reconcile(session, { shouldStop, onResult });
      reconcileAt = Date.now() + reconcileMs;
    } else {
      await drainNew(session, { shouldStop, onResult });
    }
    if (health.woke(reason, fresh)) await recordIdleVerdict(session.app, session.mailbox, health);
  }
}

/** The mail intake of `run` and `poll`: IMAP when any mailbox has it, else the local Maildir. */
export function mailIntakeLoop(app: App, mailboxes = imapMailboxes(app)): Loop {
  return mailboxes.length ? imapIntakeLoop(app, mailboxes) : localMaildirLoop(app);
}
