// Who this process is among the workers sharing a database.
import os from 'node:os';

export interface WorkerIdentity {
  /** host:pid:start time: unique across machines and restarts. */
  id: string;
  host: string;
  pid: number;
  startedAt: Date;
}

export function workerIdentity(now: Date): WorkerIdentity {
  const host = os.hostname();
  return { id: `${host}:${process.pid}:${now.toISOString()}`, host, pid: process.pid, startedAt: now };
}
