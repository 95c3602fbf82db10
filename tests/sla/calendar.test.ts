// Business-hours arithmetic: expected instants are written as local times with their UTC offsets,
// worked out by hand from the opening hours, so the test does not reuse the code's own conversion.
import { describe, expect, it } from 'vitest';
import { alwaysOpen, businessHoursCalendar } from '../../src/sla/calendar.ts';
import { businessCalendarSchema } from '../../src/config/schema.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

const berlinOffice = businessHoursCalendar(
  businessCalendarSchema.parse({
    timeZone: 'Europe/Berlin',
    hours: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
    holidays: ['2026-12-25', '2026-12-28'],
  }),
);

describe('business-hours calendar', () => {
  it('carries the rest of a target over the night', () => {
    // Tue 16:00 + 4 h: 1 h until closing, 3 h from Wednesday's opening.
    expect(berlinOffice.add(at('2026-11-03T16:00:00+01:00'), 4 * HOUR)).toEqual(at('2026-11-04T12:00:00+01:00'));
  });

  it('starts counting at the opening when the mail arrives at night', () => {
    expect(berlinOffice.add(at('2026-11-04T03:12:00+01:00'), 30 * 60_000)).toEqual(at('2026-11-04T09:30:00+01:00'));
  });

  it('skips the weekend', () => {
    // Fri 15:00 + 4 h: 2 h on Friday, Saturday and Sunday closed, 2 h on Monday.
    expect(berlinOffice.add(at('2026-11-06T15:00:00+01:00'), 4 * HOUR)).toEqual(at('2026-11-09T11:00:00+01:00'));
    expect(berlinOffice.between(at('2026-11-06T15:00:00+01:00'), at('2026-11-09T11:00:00+01:00'))).toBe(4 * HOUR);
  });

  it('skips holidays', () => {
    // Thu 24 Dec 16:00 + 3 h: 1 h on Thursday; Fri 25 holiday, weekend, Mon 28 holiday; 2 h on Tue 29.
    expect(berlinOffice.add(at('2026-12-24T16:00:00+01:00'), 3 * HOUR)).toEqual(at('2026-12-29T11:00:00+01:00'));
  });

  it('keeps local opening hours across the spring DST change', () => {
    // Berlin: clocks go 02:00 CET → 03:00 CEST on Sun 29 Mar 2026. Fri 16:00 CET + 2 h → Mon 10:00 CEST (08:00 UTC).
    expect(berlinOffice.add(at('2026-03-27T16:00:00+01:00'), 2 * HOUR)).toEqual(at('2026-03-30T08:00:00Z'));
  });

  it('keeps local opening hours across the autumn DST change', () => {
    // Clocks go 03:00 CEST → 02:00 CET on Sun 25 Oct 2026. Fri 16:00 CEST + 2 h → Mon 10:00 CET (09:00 UTC).
    expect(berlinOffice.add(at('2026-10-23T16:00:00+02:00'), 2 * HOUR)).toEqual(at('2026-10-26T09:00:00Z'));
  });

  it('counts the real length of a round-the-clock day that has 23 or 25 hours', () => {
    const allDay = ['00:00-24:00'];
    const newYork = businessHoursCalendar(
      businessCalendarSchema.parse({
        timeZone: 'America/New_York',
        hours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      }),
    );
    // 8 Mar 2026 (spring forward) has 23 hours, 1 Nov 2026 (fall back) 25.
    expect(newYork.between(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(23 * HOUR);
    expect(newYork.between(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(25 * HOUR);
    // 24 business hours from Saturday noon EST: 12 h to midnight, then 12 of the 23 h of Sunday: 13:00 EDT.
    expect(newYork.add(at('2026-03-07T12:00:00-05:00'), 24 * HOUR)).toEqual(at('2026-03-08T13:00:00-04:00'));
  });

  it('add and between agree for starts all over a year', () => {
    const start = at('2026-01-01T00:00:00Z').getTime();
    for (let i = 0; i < 200; i++) {
      // A deterministic spread of starts (every 43 h 17 min) and targets (1 to 40 h).
      const from = new Date(start + i * (43 * HOUR + 17 * 60_000));
      const ms = ((i * 7) % 40) * HOUR + HOUR;
      const due = berlinOffice.add(from, ms);
      expect(berlinOffice.between(from, due)).toBe(ms);
    }
  });

  it('is plain elapsed time without a calendar', () => {
    expect(alwaysOpen.add(at('2026-03-28T12:00:00Z'), 24 * HOUR)).toEqual(at('2026-03-29T12:00:00Z'));
    expect(alwaysOpen.between(at('2026-03-29T12:00:00Z'), at('2026-03-28T12:00:00Z'))).toBe(0);
  });

  it('rejects a calendar without opening hours and unknown time zones', () => {
    expect(businessCalendarSchema.safeParse({ timeZone: 'Europe/Berlin', hours: {} }).success).toBe(false);
    expect(businessCalendarSchema.safeParse({ timeZone: 'Mars/Olympus', hours: { mon: ['09:00-17:00'] } }).success).toBe(false);
    expect(businessCalendarSchema.safeParse({ timeZone: 'UTC', hours: { mon: ['17:00-09:00'] } }).success).toBe(false);
  });
});
