// Background loops of `postdesk run` that do one pass at a fixed interval: the SLA tick, the
// follow-ups, the weekly report. With several workers on one database, each period's pass runs on
// one of them: the worker whose claim of the period comes first (store/periodic-runs.ts).
import { inTransaction, type App } from '../app.ts';
import { sleep, type Loop } from '../service/run.ts';
import { claimPeriod, periodOf } from '../store/periodic-runs.ts';
import { runSlaTick } from './tick.ts';

export function periodicLoop(app: App, name: string, intervalMs: () => number, pass: () => Promise<void>): Loop {
  return {
    name,
    async run(signal) {
      while (!signal.aborted) {
        const interval = intervalMs();
        const now = app.now();
        try {
          const mine = await inTransaction(app, ({ db }) => claimPeriod(db, name, periodOf(now, interval), app.worker.id, now));
          if (mine) await pass();
        } catch (err) {
          // A failed pass is retried in the next period; the loop must outlive a locked database.
          app.log.error(`${name} failed: ${(err as Error).message}`);
        }
        // Until the next period starts, when every worker asks for it: sleeping a whole interval
        // after a pass would drift by the pass's time and now and then miss a period.
        await sleep(interval - (app.now().getTime() % interval), signal);
      }
    },
  };
}

export function slaLoop(app: App): Loop {
  return periodicLoop(
    app,
    'sla clock',
    () => app.config.sla.tickIntervalSeconds * 1000,
    async () => {
      const r = await runSlaTick(app);
      if (r.warnings || r.breaches) app.log.info(`sla: ${r.warnings} warning(s), ${r.breaches} breach notice(s)`);
    },
  );
}
