// What wakes an idling mailbox: new mail announced by the server (EXISTS while in IDLE), the lost
// connection, the poll timer, or the service stopping. A notice that arrives while the loop is busy
// draining is kept, so the next wait returns at once. What woke the loop is kept too, for IDLE
// health: only an EXISTS inside IDLE shows that IDLE delivers; one in the answer to our own
// commands (NOOP, FETCH) says nothing about it.
import type { ImapFlow } from 'imapflow';
import { Wakeup } from '../../service/wakeup.ts';

/** `idle`: an IDLE notice; `announced`: new mail reported in a command's answer; `poll`: the timer. */
export type WakeReason = 'idle' | 'announced' | 'poll';

export class MailSignal {
  private closed = false;
  private inIdle = false;
  private announced = false;
  private readonly wakeup = new Wakeup();

  constructor(client: ImapFlow) {
    client.on('exists', (e) => {
      if (e.count <= e.prevCount) return;
      if (client.idling) this.inIdle = true;
      this.announced = true;
      this.wakeup.wake();
    });
    client.on('close', () => {
      this.closed = true;
      this.wakeup.wake();
    });
  }

  get connectionClosed(): boolean {
    return this.closed;
  }

  /** Why the last wait ended; read it before clear(). */
  get reason(): WakeReason {
    return this.inIdle ? 'idle' : this.announced ? 'announced' : 'poll';
  }

  /** Forgets notices of mail that the drain about to start will see anyway. */
  clear(): void {
    this.wakeup.clear();
    this.inIdle = false;
    this.announced = false;
  }

  /** Resolves on new mail, connection loss, after ms, or when signal aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return this.closed ? Promise.resolve() : this.wakeup.wait(ms, signal);
  }
}
