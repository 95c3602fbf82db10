// What wakes an idling mailbox: new mail announced by the server (EXISTS while in IDLE), the lost
// connection, the poll timer, or the service stopping. A notice that arrives while the loop is busy
// draining is kept, so the next wait returns at once.
import type { ImapFlow } from 'imapflow';

export class MailSignal {
  private pending = false;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(client: ImapFlow) {
    client.on('exists', (e) => {
      if (e.count > e.prevCount) this.notify();
    });
    client.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  get connectionClosed(): boolean {
    return this.closed;
  }

  /** Forgets notices of mail that the drain about to start will see anyway. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on new mail, connection loss, after ms, or when signal aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || this.closed || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private notify(): void {
    this.pending = true;
    this.wake?.();
  }
}
