// The acknowledgement's promise, taken from the ticket's own due time: how long until then (rounded
// as people say it: minutes under the hour, hours under two days, then days) and the local time of
// it, in the reader's time zone and language ("14:00 today (UTC+1)", "明天 09:00（GMT+8）").
import { DateTime } from 'luxon';
import type { Language } from './templates.ts';

export interface ReplyPromise {
  amount: number;
  unit: 'minutes' | 'hours' | 'days';
  /** The due time as the reader's clock shows it, with the day and the zone. */
  by: string;
  /** The due time, ISO 8601 in the reader's zone. */
  at: string;
  /** Whole hours until then (at least 1): what templates written before `amount` and `unit` said. */
  hours: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const LOCALES: Record<Language, string> = { en: 'en-GB', zh: 'zh-CN' };

export function replyPromise(due: Date, now: Date, zone: string, language: Language): ReplyPromise {
  const ms = Math.max(due.getTime() - now.getTime(), 0);
  const local = DateTime.fromJSDate(due, { zone }).setLocale(LOCALES[language]);
  const hours = Math.max(1, Math.round(ms / HOUR_MS));
  return { ...amountOf(ms), by: localDueTime(local, DateTime.fromJSDate(now, { zone }), language), at: local.toISO()!, hours };
}

function amountOf(ms: number): Pick<ReplyPromise, 'amount' | 'unit'> {
  // Under the hour, up to the next five minutes: a promise is not made shorter than the time it gives.
  if (ms < 55 * MINUTE_MS) return { amount: Math.max(5, Math.ceil(ms / (5 * MINUTE_MS)) * 5), unit: 'minutes' };
  if (ms < 47.5 * HOUR_MS) return { amount: Math.max(1, Math.round(ms / HOUR_MS)), unit: 'hours' };
  return { amount: Math.round(ms / DAY_MS), unit: 'days' };
}

function localDueTime(due: DateTime, now: DateTime, language: Language): string {
  const days = Math.round(due.startOf('day').diff(now.startOf('day'), 'days').days);
  const time = due.toFormat('HH:mm');
  const zone = due.offsetNameShort ?? due.zoneName ?? '';
  const sameYear = due.year === now.year;
  if (language === 'zh') {
    const day = days === 0 ? '今天 ' : days === 1 ? '明天 ' : due.toFormat(sameYear ? 'M月d日（cccc）' : 'yyyy年M月d日（cccc）');
    return `${day}${time}（${zone}）`;
  }
  const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `on ${due.toFormat(sameYear ? 'cccc d LLLL' : 'cccc d LLLL yyyy')}`;
  return `${time} ${day} (${zone})`;
}
