// A `postdesk run` process as one of the workers sharing the database: it registers, beats while
// it runs (so the others know it is alive), and on a clean stop gives up its leases and says it
// stopped, so that the others take over at once instead of after the timeout. A one-shot command
// (`poll --once`, `outbox flush`, often from cron) takes part the same way but leaves no row behind:
// a minutely cron job would otherwise list 1,440 stopped workers a day in `postdesk workers`.
import { inTransaction, type App } from '../app.ts';
import { releaseLeasesOf } from '../store/leases.ts';
import { beat, forgetOldWorkers, forgetWorker, HEARTBEAT_MS, markWorkerStopped, registerWorker } from '../store/workers.ts';

export interface Membership {
  /** Ends the heartbeat, releases every lease of this worker and marks it stopped (a one-shot: removes it). */
  leave(): Promise<void>;
}

export async function joinWorkers(app: App, options: { oneShot?: boolean } = {}): Promise<Membership> {
  const me = app.worker;
  await inTransaction(app, async ({ db }) => {
    await forgetOldWorkers(db, app.now());
    await registerWorker(db, me);
  });
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(() => inTransaction(app, ({ db }) => beat(db, me.id, app.now()))).then(
      (alive) => alive || app.log.warn(`worker ${me.id}: marked stopped in the database while running`),
      (err: Error) => app.log.warn(`worker ${me.id}: heartbeat failed (${err.message}); while it fails, the other workers take this one for dead`),
    );
  }, HEARTBEAT_MS);
  return {
    async leave() {
      clearInterval(timer);
      await beating;
      await inTransaction(app, async ({ db }) => {
        await releaseLeasesOf(db, me.id);
        if (options.oneShot) await forgetWorker(db, me.id);
        else await markWorkerStopped(db, me.id, app.now());
      });
    },
  };
}
