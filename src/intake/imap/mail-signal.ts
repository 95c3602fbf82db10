// What wakes an idling mailbox: new mail announced by the server (EXISTS while in IDLE), the lost
// connection, the poll timer, or the service stopping. A notice that arrives while the loop is busy
// draining is kept, so the next wait returns at once.
import type { ImapFlow } from 'imapflow';
import { Wakeup } from '../../service/wakeup.ts';

export class MailSignal {
  private closed = false;
  private readonly wakeup = new Wakeup();

  constructor(client: ImapFlow) {
    client.on('exists', (e) => {
      if (e.count > e.prevCount) this.wakeup.wake();
    });
    client.on('close', () => {
      this.closed = true;
      this.wakeup.wake();
    });
  }

  get connectionClosed(): boolean {
    return this.closed;
  }

  /** Forgets notices of mail that the drain about to start will see anyway. */
  clear(): void {
    this.wakeup.clear();
  }

  /** Resolves on new mail, connection loss, after ms, or when signal aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return this.closed ? Promise.resolve() : this.wakeup.wait(ms, signal);
  }
}
