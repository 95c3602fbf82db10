// The weekly report mailed to the leads at the configured weekday and time (sla.weeklyReport).
// The last scheduled time handled is stored with the queued mails in one transaction, so each
// week's report is queued once, also across restarts, and a missed time is caught up on start.
import { DateTime } from 'luxon';
import { inTransaction, type App } from '../app.ts';
import { checkedAddress, headerText } from '../outbound/header-safety.ts';
import { domainOf, newMessageId } from '../outbound/tokens.ts';
import { insertOutbox } from '../store/outbox.ts';
import { getSetting, setSetting } from '../store/settings.ts';
import { leads } from '../sla/recipients.ts';
import { periodicLoop } from '../sla/loop.ts';
import type { Loop } from '../service/run.ts';
import { periodContaining, shiftPeriod } from './period.ts';
import { buildReport } from './report.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';

const LAST_SENT_KEY = 'report:weekly:last-scheduled';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CHECK_INTERVAL_MS = 60_000;

/** The latest scheduled send time at or before now, or undefined when no schedule is configured. */
export function lastScheduledTime(app: App): Date | undefined {
  const schedule = app.config.sla.weeklyReport;
  if (!schedule) return undefined;
  const now = DateTime.fromJSDate(app.now(), { zone: app.config.timeZone });
  const [hour, minute] = schedule.time.split(':').map(Number);
  const thisWeek = now.set({ weekday: (WEEKDAYS.indexOf(schedule.weekday) + 1) as 1, hour, minute, second: 0, millisecond: 0 });
  return (thisWeek > now ? thisWeek.minus({ weeks: 1 }) : thisWeek).toJSDate();
}

/** Queues the report of the week before the latest scheduled time, unless that time was handled. Returns the recipients. */
export async function mailWeeklyReportIfDue(app: App): Promise<string[] | undefined> {
  const scheduled = lastScheduledTime(app);
  if (!scheduled) return undefined;
  const handled = await getSetting(app.db, LAST_SENT_KEY);
  if (handled && new Date(handled) >= scheduled) return undefined;
  const zone = app.config.timeZone;
  const report = await buildReport(app, shiftPeriod(periodContaining('week', scheduled, zone), -1, zone));
  const mailbox = app.mailboxes[0];
  const recipients = leads(app);
  const mail = {
    from: checkedAddress(mailbox.address, headerText(`${mailbox.name} reports`)),
    replyTo: mailbox.address,
    subject: headerText(`Postdesk weekly report ${report.current.period.label}`),
    text: renderText(report),
    html: renderHtml(report),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
  return inTransaction(app, async ({ db }) => {
    if ((await getSetting(db, LAST_SENT_KEY)) !== handled) return undefined; // another process was faster
    const now = app.now();
    for (const lead of recipients) {
      await insertOutbox(db, {
        ticketId: null,
        kind: 'weekly-report',
        messageId: newMessageId(app.secret, 0, domainOf(mailbox.address)),
        recipient: lead,
        mail: { ...mail, to: [checkedAddress(lead)] },
        nextAttemptAt: now,
        createdAt: now,
      });
    }
    await setSetting(db, LAST_SENT_KEY, scheduled.toISOString());
    return recipients;
  });
}

export function weeklyReportLoop(app: App): Loop {
  return periodicLoop(app, 'weekly report', () => CHECK_INTERVAL_MS, async () => {
    const sent = await mailWeeklyReportIfDue(app);
    if (sent) app.log.info(`weekly report queued for ${sent.length ? sent.join(', ') : 'nobody (no leads configured)'}`);
  });
}
