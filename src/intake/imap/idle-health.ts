// Whether IDLE delivers for a mailbox, measured: a fallback poll (or reconcile) that finds new mail
// no IDLE notice announced is a miss. After a few misses in a row the admin is told once what to
// check, and the mailbox polls at the shorter `idleFallbackSeconds` until a notice arrives again.
// The verdict is also kept in the database, so `imap status` tells it on any machine.
import { inTransaction, type App, type Logger } from '../../app.ts';
import type { ImapConfig } from '../../config/schema.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { getSetting, setSetting } from '../../store/settings.ts';
import type { WakeReason } from './mail-signal.ts';

/** What the worker watching a mailbox last found about its IDLE. */
export interface IdleVerdict {
  healthy: boolean;
  /** When it became so (ISO). */
  since: string;
  /** How often the mailbox is polled besides IDLE. */
  pollSeconds: number;
  worker: string;
}

export const MISSES_BEFORE_WARNING = 3;

export class IdleHealth {
  private misses = 0;
  private unhealthy = false;

  constructor(
    private readonly log: Logger,
    private readonly mailbox: string,
    private readonly imap: Pick<ImapConfig, 'pollIntervalSeconds' | 'idleFallbackSeconds'>,
  ) {}

  /** How long to wait for an IDLE notice before polling. */
  get pollMs(): number {
    const seconds = this.unhealthy ? Math.min(this.imap.idleFallbackSeconds, this.imap.pollIntervalSeconds) : this.imap.pollIntervalSeconds;
    return seconds * 1000;
  }

  get healthy(): boolean {
    return !this.unhealthy;
  }

  /** After each wake: what woke the loop, and how many mails did the drain that followed take? True when the verdict changed. */
  woke(reason: WakeReason, found: number): boolean {
    if (reason === 'idle') {
      const changed = this.unhealthy;
      if (changed) this.log.info(`mailbox ${this.mailbox}: IDLE notices arrive again; polling every ${this.imap.pollIntervalSeconds} s as configured`);
      this.misses = 0;
      this.unhealthy = false;
      return changed;
    }
    if (reason !== 'poll' || found === 0 || this.unhealthy) return false;
    this.misses += 1;
    if (this.misses < MISSES_BEFORE_WARNING) return false;
    this.unhealthy = true;
    this.log.warn(
      `mailbox ${this.mailbox}: IDLE announced none of the new mail the last ${this.misses} polls found, so mail waits for the poll; ` +
        `polling every ${this.pollMs / 1000} s now instead of ${this.imap.pollIntervalSeconds} s (mailboxes[].imap.idleFallbackSeconds). ` +
        `Check that the server supports IDLE for this folder (Cyrus: idled running, or imapidlepoll set) and that no firewall or NAT drops idle connections`,
    );
    return true;
  }
}

const settingOf = (mailbox: MailboxRow) => `imap-idle:${mailbox.name}`;

/** Keeps the watching worker's verdict: when its watch starts (healthy until shown otherwise) and when it changes. */
export async function recordIdleVerdict(app: App, mailbox: MailboxRow, health: IdleHealth): Promise<void> {
  const verdict: IdleVerdict = { healthy: health.healthy, since: app.now().toISOString(), pollSeconds: health.pollMs / 1000, worker: app.worker.id };
  await inTransaction(app, ({ db }) => setSetting(db, settingOf(mailbox), JSON.stringify(verdict)));
}

/** The last verdict kept for the mailbox; null before any worker watched it. */
export async function idleVerdictOf(app: App, mailbox: MailboxRow): Promise<IdleVerdict | null> {
  const kept = await getSetting(app.db, settingOf(mailbox));
  return kept === undefined ? null : (JSON.parse(kept) as IdleVerdict);
}
