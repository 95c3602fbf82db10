// Business-time arithmetic: when a target of N business hours, started at some instant, falls due.
// Opening hours are local wall-clock times in the calendar's zone; luxon turns each local day's
// intervals into instants, so a DST change shortens or lengthens only the day it happens on.
import { DateTime } from 'luxon';
import type { BusinessCalendarConfig } from '../config/schema.ts';

export interface BusinessCalendar {
  /** The instant after `start` at which `ms` of business time have passed. */
  add(start: Date, ms: number): Date;
  /** Business time between two instants; 0 when `to` is not after `from`. */
  between(from: Date, to: Date): number;
}

/** 24×7: business time is wall-clock time. */
export const alwaysOpen: BusinessCalendar = {
  add: (start, ms) => new Date(start.getTime() + ms),
  between: (from, to) => Math.max(0, to.getTime() - from.getTime()),
};

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A calendar without a single open minute in ten years is a configuration error, not a loop forever. */
const MAX_DAYS = 3660;

type Interval = [open: number, close: number];

export function businessHoursCalendar(config: BusinessCalendarConfig): BusinessCalendar {
  const zone = config.timeZone;
  const holidays = new Set(config.holidays);

  function instant(day: DateTime, hhmm: string): number {
    const [hour, minute] = hhmm.split(':').map(Number);
    return (hour === 24 ? day.plus({ days: 1 }) : day.set({ hour, minute })).toMillis();
  }

  /** The open intervals of one local day (given as its local midnight), as epoch milliseconds. */
  function openIntervals(day: DateTime): Interval[] {
    if (holidays.has(day.toISODate()!)) return [];
    return config.hours[WEEKDAY_KEYS[day.weekday - 1]].map((range): Interval => [instant(day, range.slice(0, 5)), instant(day, range.slice(6))]);
  }

  /** Each open interval from the local day of `from` onwards, in order. */
  function* intervalsFrom(from: Date): Generator<Interval> {
    let day = DateTime.fromJSDate(from, { zone }).startOf('day');
    for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) yield* openIntervals(day);
    throw new Error(`calendar ${zone}: no business time within ${MAX_DAYS} days`);
  }

  return {
    add(start, ms) {
      let remaining = ms;
      for (const [open, close] of intervalsFrom(start)) {
        const from = Math.max(open, start.getTime());
        if (from >= close) continue;
        if (from + remaining <= close) return new Date(from + remaining);
        remaining -= close - from;
      }
      throw new Error('unreachable');
    },
    between(from, to) {
      let total = 0;
      for (const [open, close] of intervalsFrom(from)) {
        if (open >= to.getTime()) break;
        total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
      }
      return total;
    },
  };
}
