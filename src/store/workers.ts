// The workers table: every `postdesk run` process sharing this database, with its heartbeat. A
// worker is alive while it beats; what a dead or stopped worker held is taken over by the others.
import { and, asc, count, eq, isNotNull, isNull, lt, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { workers } from './schema.ts';
import { all, execute, tablesOf } from './dialect.ts';

export type WorkerRow = typeof workers.$inferSelect;

/** How often a worker renews its heartbeat and leases. */
export const HEARTBEAT_MS = 3_000;
/** A worker whose heartbeat is older than this is dead: its leases and claims are taken over. */
export const WORKER_TIMEOUT_MS = 10_000;
/** Rows of dead and stopped workers are kept this long for `postdesk workers`, then removed. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export async function registerWorker(db: Db, worker: Pick<WorkerRow, 'id' | 'host' | 'pid' | 'startedAt'>): Promise<void> {
  const { workers } = tablesOf(db);
  await execute(db.insert(workers).values({ ...worker, heartbeatAt: worker.startedAt }));
}

/** Renews the heartbeat; false when the row is gone or marked stopped (the worker must not go on). */
export async function beat(db: Db, id: string, now: Date): Promise<boolean> {
  const { workers } = tablesOf(db);
  return (await execute(db.update(workers).set({ heartbeatAt: now }).where(and(eq(workers.id, id), isNull(workers.stoppedAt))))) === 1;
}

export async function markWorkerStopped(db: Db, id: string, now: Date): Promise<void> {
  const { workers } = tablesOf(db);
  await execute(db.update(workers).set({ stoppedAt: now }).where(eq(workers.id, id)));
}

/** Removes the row of a worker that has stopped and whose history nobody needs (a one-shot command). */
export async function forgetWorker(db: Db, id: string): Promise<void> {
  const { workers } = tablesOf(db);
  await execute(db.delete(workers).where(eq(workers.id, id)));
}

/** Removes rows of workers dead or stopped for a day. */
export async function forgetOldWorkers(db: Db, now: Date): Promise<number> {
  const { workers } = tablesOf(db);
  return execute(db.delete(workers).where(lt(workers.heartbeatAt, new Date(now.getTime() - FORGET_AFTER_MS))));
}

export async function listWorkers(db: Db): Promise<WorkerRow[]> {
  const { workers } = tablesOf(db);
  return all(db.select().from(workers).orderBy(asc(workers.startedAt)));
}

/** The queued outbox mails a worker has claimed: being sent by it, or, if it is gone, for another to take over. */
export async function outboxClaims(db: Db): Promise<{ workerId: string; outboxId: number }[]> {
  const { outbox } = tablesOf(db);
  const rows = await all(db
    .select({ workerId: outbox.claimedBy, outboxId: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, 'queued'), isNotNull(outbox.claimedBy)))
    .orderBy(asc(outbox.id)));
  return rows.map((r) => ({ workerId: r.workerId!, outboxId: r.outboxId }));
}

export type WorkerState = 'alive' | 'dead' | 'stopped';

export function workerState(worker: WorkerRow, now: Date): WorkerState {
  if (worker.stoppedAt) return 'stopped';
  return worker.heartbeatAt.getTime() > now.getTime() - WORKER_TIMEOUT_MS ? 'alive' : 'dead';
}

/**
 * A condition on a worker-id column: that worker is dead, stopped or unknown — what it held may be
 * taken. (A subquery, so it is judged inside the statement that takes it.)
 */
export function workerGone(db: Db, workerId: Column, now: Date): SQL {
  const { workers } = tablesOf(db);
  return sql`${workerId} NOT IN ${db.select({ id: workers.id }).from(workers).where(isAlive(db, now))}`;
}

/** How many workers are alive (beating, not stopped). */
export async function countAliveWorkers(db: Db, now: Date): Promise<number> {
  const { workers } = tablesOf(db);
  const [row] = await all(db.select({ n: count() }).from(workers).where(isAlive(db, now)));
  return Number(row?.n ?? 0);
}

function isAlive(db: Db, now: Date): SQL {
  const { workers } = tablesOf(db);
  const cutoff = new Date(now.getTime() - WORKER_TIMEOUT_MS);
  return and(isNull(workers.stoppedAt), sql`${workers.heartbeatAt} > ${sql.param(cutoff, workers.heartbeatAt)}`)!;
}
