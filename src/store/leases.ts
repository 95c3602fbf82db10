// Leases: work that one worker at a time may do (an IMAP mailbox's intake). A lease is held until
// it expires unless its worker renews it; a released lease, or one whose worker is gone, is free.
import { and, asc, count, eq, gt, like, not, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { leases } from './schema.ts';
import { all, execute, tablesOf } from './dialect.ts';
import { workerGone } from './workers.ts';

export type LeaseRow = typeof leases.$inferSelect;

/** How long a lease lasts without renewal: a dead holder's lease is free this long after its last renewal. */
export const LEASE_MS = 10_000;

/**
 * Takes the lease, or renews it when this worker holds it already; true when this worker holds it
 * now. Free means: absent, expired, or held by a worker that is dead or stopped. One statement, so
 * two workers taking it at once cannot both succeed.
 */
export async function holdLease(db: Db, name: string, workerId: string, now: Date): Promise<boolean> {
  const { leases } = tablesOf(db);
  const expiresAt = new Date(now.getTime() + LEASE_MS);
  const taken = await execute(db
    .insert(leases)
    .values({ name, workerId, acquiredAt: now, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: {
        workerId,
        expiresAt,
        acquiredAt: sql`CASE WHEN ${leases.workerId} = ${workerId} THEN ${leases.acquiredAt} ELSE ${sql.param(now, leases.acquiredAt)} END`,
      },
      setWhere: sql`${leases.workerId} = ${workerId} OR ${leases.expiresAt} <= ${sql.param(now, leases.expiresAt)} OR ${workerGone(db, leases.workerId, now)}`,
    }));
  return taken === 1;
}

/** Gives the lease up (a worker stopping): the next worker asking takes it at once. */
export async function releaseLease(db: Db, name: string, workerId: string): Promise<void> {
  const { leases } = tablesOf(db);
  await execute(db.delete(leases).where(and(eq(leases.name, name), eq(leases.workerId, workerId))));
}

/** Gives up every lease of a worker (a worker stopping). */
export async function releaseLeasesOf(db: Db, workerId: string): Promise<number> {
  const { leases } = tablesOf(db);
  return execute(db.delete(leases).where(eq(leases.workerId, workerId)));
}

export async function listLeases(db: Db): Promise<LeaseRow[]> {
  const { leases } = tablesOf(db);
  return all(db.select().from(leases).orderBy(asc(leases.name)));
}

/** The worker holding the lease now (unexpired, its worker alive), or undefined when it is free. */
export async function leaseHolder(db: Db, name: string, now: Date): Promise<string | undefined> {
  const { leases } = tablesOf(db);
  const [row] = await all(db.select({ workerId: leases.workerId }).from(leases).where(and(eq(leases.name, name), held(db, now))));
  return row?.workerId;
}

/** How many leases whose names start with `prefix` the worker holds now. */
export async function countLeasesHeld(db: Db, workerId: string, prefix: string, now: Date): Promise<number> {
  const { leases } = tablesOf(db);
  const [row] = await all(db.select({ n: count() }).from(leases).where(and(eq(leases.workerId, workerId), like(leases.name, `${prefix}%`), held(db, now))));
  return Number(row?.n ?? 0);
}

function held(db: Db, now: Date) {
  const { leases } = tablesOf(db);
  return and(gt(leases.expiresAt, now), not(workerGone(db, leases.workerId, now)));
}
