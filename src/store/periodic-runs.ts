// One run per period of each periodic job across all workers: a worker runs a pass only when its
// claim of the period is the one that changed the job's row.
import { sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { execute, tablesOf } from './dialect.ts';

/** The number of the period `now` falls in, for a job run every `intervalMs`. */
export function periodOf(now: Date, intervalMs: number): number {
  return Math.floor(now.getTime() / intervalMs);
}

/** Claims `period` of job `name` for this worker; true when no worker had claimed it (or a later one). */
export async function claimPeriod(db: Db, name: string, period: number, workerId: string, now: Date): Promise<boolean> {
  const { periodicRuns } = tablesOf(db);
  const claimed = await execute(db
    .insert(periodicRuns)
    .values({ name, period, workerId, startedAt: now })
    .onConflictDoUpdate({
      target: periodicRuns.name,
      set: { period, workerId, startedAt: now },
      setWhere: sql`${periodicRuns.period} < ${period}`,
    }));
  return claimed === 1;
}
