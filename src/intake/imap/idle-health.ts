// Whether IDLE delivers for a mailbox, measured: a fallback poll (or reconcile) that finds new mail
// no IDLE notice announced is a miss. After a few misses in a row the admin is told once what to
// check, and the mailbox polls at the shorter `idleFallbackSeconds` until a notice arrives again.
import type { Logger } from '../../app.ts';
import type { ImapConfig } from '../../config/schema.ts';
import type { WakeReason } from './mail-signal.ts';

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

  /** After each wake: what woke the loop, and how many mails did the drain that followed take? */
  woke(reason: WakeReason, found: number): void {
    if (reason === 'idle') {
      if (this.unhealthy) this.log.info(`mailbox ${this.mailbox}: IDLE notices arrive again; polling every ${this.imap.pollIntervalSeconds} s as configured`);
      this.misses = 0;
      this.unhealthy = false;
      return;
    }
    if (reason !== 'poll' || found === 0 || this.unhealthy) return;
    this.misses += 1;
    if (this.misses < MISSES_BEFORE_WARNING) return;
    this.unhealthy = true;
    this.log.warn(
      `mailbox ${this.mailbox}: IDLE announced none of the new mail the last ${this.misses} polls found, so mail waits for the poll; ` +
        `polling every ${this.pollMs / 1000} s now instead of ${this.imap.pollIntervalSeconds} s (mailboxes[].imap.idleFallbackSeconds). ` +
        `Check that the server supports IDLE for this folder (Cyrus: idled running, or imapidlepoll set) and that no firewall or NAT drops idle connections`,
    );
  }
}
