// Shared pieces of the several-workers tests: `postdesk run` processes that share one PostgreSQL
// database, each with a data directory of its own (as on separate machines), started, killed and
// restarted by the test; and the test's own view of the shared database.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { ConfigFile } from '../../src/config/schema.ts';
import { postdeskAsync } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

/**
 * One `postdesk run` worker: its own data directory and config file (the same configuration on every
 * worker: one database, the same mailboxes and SMTP relay). Its log is kept for failure messages.
 */
export class Worker {
  readonly dataDir = tempDir('postdesk-worker-');
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private logTail = '';
  private partialLine = '';
  /** Every pid this worker has run as, oldest first. */
  readonly pids: number[] = [];
  /** Mails this worker logged as stored (created, appended, quarantined; not duplicates), over all its runs. */
  stored = 0;

  constructor(
    readonly name: string,
    config: ConfigFile,
  ) {
    fs.writeFileSync(path.join(this.dataDir, 'postdesk.config.json'), JSON.stringify(config));
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The last lines the worker wrote (stderr and stdout together). */
  get log(): string {
    return this.logTail;
  }

  start(): void {
    if (this.child) throw new Error(`worker ${this.name} runs already`);
    const child = postdeskAsync(['run', '--data', this.dataDir, '--config', path.join(this.dataDir, 'postdesk.config.json')], { cwd: this.dataDir });
    const keep = (d: Buffer) => (this.logTail = (this.logTail + d).slice(-20_000));
    child.stderr.on('data', (d: Buffer) => {
      keep(d);
      const lines = (this.partialLine + d).split('\n');
      this.partialLine = lines.pop()!;
      this.stored += lines.filter((l) => /^\S+ (created|appended|quarantined)\b/.test(l)).length;
    });
    child.stdout.on('data', keep);
    this.child = child;
    this.partialLine = '';
    this.pids.push(child.pid!);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        if (this.child === child) this.child = null;
        resolve();
      }),
    );
  }

  /** Sends the signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    if (!this.child) return;
    this.child.kill(signal);
    await this.exited;
  }

  /** Resolves when the worker has written a line matching pattern (from its start on). */
  async waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.logTail)) {
      if (Date.now() > deadline) throw new Error(`worker ${this.name}: no ${pattern} within ${timeoutMs} ms; its log:\n${this.logTail}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The test's own connection to the workers' database, for counts and the workers/leases tables. */
export class SharedDatabase {
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
  }

  async rows<Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>(text, params)).rows;
  }

  async count(text: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.rows<{ n: string }>(text, params);
    return Number(row.n);
  }

  /** Stored customer mail (acknowledgements and notices are messages too, but outbound). */
  inbound(): Promise<number> {
    return this.count(`SELECT count(*) AS n FROM messages WHERE direction = 'in'`);
  }

  /** Mailboxes whose IMAP checkpoint is set: a worker has opened the folder once. */
  checkpointed(): Promise<number> {
    return this.count('SELECT count(*) AS n FROM mailboxes WHERE uid_validity IS NOT NULL AND last_uid IS NOT NULL');
  }

  /** Each lease with its holder's pid and state, as the design defines alive (heartbeat within 10 s, not stopped). */
  leases(): Promise<LeaseView[]> {
    return this.rows<LeaseView>(
      `SELECT l.name, l.worker_id AS "workerId", w.pid,
              (w.id IS NOT NULL AND w.stopped_at IS NULL AND w.heartbeat_at > now() - interval '10 seconds') AS alive
         FROM leases l LEFT JOIN workers w ON w.id = l.worker_id ORDER BY l.name`,
    );
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export interface LeaseView {
  name: string;
  workerId: string;
  /** The holder's pid from the workers table; null when the holder has no workers row. */
  pid: number | null;
  alive: boolean;
}

export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
