// Logs a mailbox's connection state once per change, not once per retry: an outage of an hour is
// two lines (lost, connected again), not thousands.
import type { Logger } from '../../app.ts';

type State = 'connected' | 'disconnected' | 'unusable';

export class ConnectionState {
  private state: State | null = null;
  private failedAttempts = 0;

  constructor(
    private readonly log: Logger,
    private readonly mailbox: string,
  ) {}

  get current(): State | null {
    return this.state;
  }

  connected(detail: string): void {
    const again = this.state === 'disconnected' ? ` again after ${this.failedAttempts} failed attempt(s)` : '';
    this.failedAttempts = 0;
    if (this.change('connected')) this.log.info(`mailbox ${this.mailbox}: connected${again}, ${detail}`);
  }

  disconnected(err: unknown): void {
    this.failedAttempts += 1;
    if (this.change('disconnected')) this.log.warn(`mailbox ${this.mailbox}: IMAP connection failed (${describeError(err)}); reconnecting with backoff`);
  }

  unusable(err: Error): void {
    if (this.change('unusable')) this.log.error(err.message);
  }

  private change(next: State): boolean {
    const changed = this.state !== next;
    this.state = next;
    return changed;
  }
}

export function describeError(err: unknown): string {
  const e = err as Error & { code?: string; responseText?: string };
  return e.responseText ?? e.message ?? e.code ?? String(err);
}
