// What ends a service loop's wait: its interval, the service stopping, or news (a mail ingested, a
// file in the inbox, mail announced by the IMAP server). News that comes while the loop is busy is
// kept, so the next wait returns at once. Each wait removes its timer and abort listener when it
// ends, however it ends: waits woken early must not leave listeners on the service's signal.
export class Wakeup {
  private pending = false;
  private end: (() => void) | null = null;

  /** Ends the running wait, or the next one at once when none runs. */
  wake(): void {
    this.pending = true;
    this.end?.();
  }

  /** Forgets news that came before now (the work about to start will see it anyway). */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on wake(), after ms, or when signal aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.end = null;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.end = done;
    });
  }
}
