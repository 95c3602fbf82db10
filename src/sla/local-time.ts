// Times as people read them: in the configured zone, with the zone's abbreviation.
import { DateTime } from 'luxon';
import type { App } from '../app.ts';

export function localTime(app: App, at: Date): string {
  return DateTime.fromJSDate(at, { zone: app.config.timeZone }).toFormat('yyyy-MM-dd HH:mm ZZZZ');
}
