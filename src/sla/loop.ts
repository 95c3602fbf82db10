// The SLA loop of `postdesk run`: a tick every sla.tickIntervalSeconds until the service stops.
import type { App } from '../app.ts';
import { sleep, type Loop } from '../service/run.ts';
import { runSlaTick } from './tick.ts';

export function slaLoop(app: App): Loop {
  return {
    name: 'sla clock',
    async run(signal) {
      while (!signal.aborted) {
        try {
          const r = runSlaTick(app);
          if (r.warnings || r.breaches) app.log.info(`sla: ${r.warnings} warning(s), ${r.breaches} breach notice(s)`);
        } catch (err) {
          // A failed tick is retried on the next one; the loop must outlive a locked database.
          app.log.error(`sla tick failed: ${(err as Error).message}`);
        }
        await sleep(app.config.sla.tickIntervalSeconds * 1000, signal);
      }
    },
  };
}
