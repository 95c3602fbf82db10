// Times in mails are shown in the help desk's time zone (config timeZone), in the reader's language.
import type { App } from '../app.ts';
import type { Language } from './templates.ts';

const LOCALES: Record<Language, string> = { en: 'en-GB', zh: 'zh-CN' };

/** Building a formatter costs far more than using one: one per language and time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatLocalTime(app: App, at: Date, language: Language): string {
  const key = `${language} ${app.config.timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = localFormatter(LOCALES[language], app.config.timeZone);
    formatters.set(key, formatter);
  }
  return formatter.format(at);
}

function localFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
}
