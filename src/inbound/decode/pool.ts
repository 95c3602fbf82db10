// Decodes mails in worker threads, so that parsing the next mails overlaps committing this one,
// and so that a mail which stalls, crashes or floods the parser cannot stall intake or exhaust the
// machine: past the time limit or the heap limit its worker is replaced and the mail is quarantined
// with the reason. The other mails that worker held are decoded again on another.
import { Worker } from 'node:worker_threads';
import { QuarantineMail } from '../filter-failures.ts';
import type { DecodeInput, DecodeStorage, DecodeStores, DecodedMail, MailDecoder } from './decoded-mail.ts';
import type { DecodeReply, DecodeRequest } from './worker.ts';


/**
 * Decodes in the calling thread, into the app's stores: for tools and tests that ingest a mail or
 * two. The parser and sanitizer load on first use: most commands never decode.
 */
export function inlineDecoder(stores: DecodeStores): MailDecoder {
  return { decode: async (input) => (await import('./decode.ts')).decodeMail(input, stores), close: async () => {} };
}

/** Loading the TypeScript decoder takes a few hundred milliseconds; far longer means it cannot start. */
const STARTUP_LIMIT_MS = 30_000;

interface Job {
  id: number;
  input: DecodeInput;
  resolve(decoded: DecodedMail): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** In the order sent; the worker decodes one at a time, so the first is the one running. */
  jobs: Job[];
  timer?: NodeJS.Timeout;
  /** The worker has loaded its code; a failure before that is the machine's, not a mail's. */
  ready: boolean;
}

export interface DecodePoolOptions {
  workers: number;
  timeoutMs: number;
  /** Each worker's JavaScript heap (V8's old generation), in MB. */
  memoryMB: number;
  /** Where the workers keep what they decode. */
  storage: DecodeStorage;
  /** Decodes in this thread when workers cannot start at all. */
  inline: MailDecoder;
  /** Told once when workers cannot start at all. */
  onBroken?: (reason: string) => void;
}

export class DecodePool implements MailDecoder {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private broken = false;

  constructor(private readonly opts: DecodePoolOptions) {}

  get size(): number {
    return this.opts.workers;
  }

  decode(input: DecodeInput): Promise<DecodedMail> {
    if (this.broken) return this.opts.inline.decode(input);
    return new Promise((resolve, reject) => this.dispatch({ id: this.nextId++, input, resolve, reject }));
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => this.retire(slot)));
  }

  private dispatch(job: Job): void {
    if (this.broken) {
      this.opts.inline.decode(job.input).then(job.resolve, job.reject);
      return;
    }
    const slot = this.leastBusy();
    slot.jobs.push(job);
    slot.worker.ref();
    const request: DecodeRequest = { id: job.id, storage: this.opts.storage, ...job.input };
    slot.worker.postMessage(request);
    if (slot.jobs.length === 1) this.arm(slot);
  }

  /**
   * An idle worker before a new one: each worker keeps the heap its biggest mail grew, so a worker
   * started while another sits idle only adds memory.
   */
  private leastBusy(): Slot {
    const idle = this.slots.find((slot) => slot.jobs.length === 0);
    if (idle) return idle;
    if (this.slots.length < this.opts.workers) return this.spawn();
    return this.slots.reduce((a, b) => (b.jobs.length < a.jobs.length ? b : a));
  }

  private spawn(): Slot {
    // From the sources, the entry registers tsx first; bundled (dist/), worker.cjs sits beside the bundle.
    // trackUnmanagedFds (Node's default, relied on here): a worker replaced after the time limit
    // takes its pack descriptors with it.
    const entry = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.js' : './worker.cjs', import.meta.url);
    const worker = new Worker(entry, { trackUnmanagedFds: true, resourceLimits: { maxOldGenerationSizeMb: this.opts.memoryMB } });
    const slot: Slot = { worker, jobs: [], ready: false };
    worker.on('message', (reply: DecodeReply) => this.settle(slot, reply));
    worker.on('error', (err) => this.fail(slot, this.crashReason(slot, err)));
    worker.on('exit', (code) => this.fail(slot, `the decoder exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, reply: DecodeReply): void {
    if ('ready' in reply) {
      slot.ready = true;
      this.arm(slot);
      return;
    }
    const job = slot.jobs.shift();
    if (!job || job.id !== reply.id) {
      this.fail(slot, `reply ${reply.id} came out of order`);
      return;
    }
    if ('decoded' in reply) job.resolve(reply.decoded);
    else job.reject(reply.quarantine ? new QuarantineMail(reply.error, reply.rawLocation) : new Error(reply.error));
    this.arm(slot);
  }

  /**
   * The time limit runs for the job at the head, which is the one being decoded; before the worker
   * is ready, for its start (a worker that cannot start makes the pool decode in this thread).
   */
  private arm(slot: Slot): void {
    clearTimeout(slot.timer);
    if (slot.jobs.length === 0) {
      slot.worker.unref(); // an idle pool never keeps the process alive
      return;
    }
    const limit = slot.ready ? this.opts.timeoutMs : Math.max(this.opts.timeoutMs, STARTUP_LIMIT_MS);
    const seconds = limit / 1000;
    const reason = slot.ready ? `decoding took longer than ${seconds} s (ingest.decodeTimeoutSeconds)` : `the decoder did not start within ${seconds} s`;
    slot.timer = setTimeout(() => this.fail(slot, reason), limit);
  }

  private crashReason(slot: Slot, err: Error): string {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY') return `the decoder crashed: ${err.message}`;
    const limit = `${this.opts.memoryMB} MB (ingest.decodeMemoryMB)`;
    return slot.ready ? `decoding needed more than ${limit}` : `the decoder needs more than ${limit} to start`;
  }

  /** Retires a failed worker: its running mail is quarantined, the mails queued behind it go elsewhere. */
  private fail(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already retired (an exit after an error, or after close)
    this.slots.splice(index, 1);
    void this.retire(slot);
    const [running, ...queued] = slot.jobs;
    if (!slot.ready) {
      // The worker could not even load its code: no fault of the mail, and no use trying again.
      this.broken = true;
      this.opts.onBroken?.(reason);
      if (running) queued.unshift(running);
    } else {
      running?.reject(new QuarantineMail(reason));
    }
    for (const job of queued) this.dispatch(job);
  }

  private async retire(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners('exit');
    slot.worker.removeAllListeners('error');
    slot.worker.on('error', () => {}); // a late error from a worker we let go of is no news
    await slot.worker.terminate();
  }
}
