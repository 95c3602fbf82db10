// The follow-up loop of `postdesk run`: one pass (./send.ts) every followUp.intervalSeconds.
import type { App } from '../app.ts';
import type { Loop } from '../service/run.ts';
import { periodicLoop } from '../sla/loop.ts';
import { runFollowUps } from './send.ts';

export function followUpLoop(app: App): Loop {
  return periodicLoop(
    app,
    'follow-ups',
    () => app.config.followUp.intervalSeconds * 1000,
    async () => {
      const r = await runFollowUps(app);
      if (r.followUps || r.reminders || r.cancelled) app.log.info(`follow-ups: ${r.followUps} queued, ${r.reminders} reminder(s) to agents, ${r.cancelled} cancelled`);
    },
  );
}
