// Background loops of `postdesk run` that do one pass at a fixed interval: the SLA tick, the weekly report.
import type { App } from '../app.ts';
import { sleep, type Loop } from '../service/run.ts';
import { runSlaTick } from './tick.ts';

export function periodicLoop(app: App, name: string, intervalMs: () => number, pass: () => Promise<void>): Loop {
  return {
    name,
    async run(signal) {
      while (!signal.aborted) {
        try {
          await pass();
        } catch (err) {
          // A failed pass is retried on the next one; the loop must outlive a locked database.
          app.log.error(`${name} failed: ${(err as Error).message}`);
        }
        await sleep(intervalMs(), signal);
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
