// Times in mails are shown in the help desk's time zone (config timeZone), in the reader's language.
import type { App } from '../app.ts';
import type { Language } from './templates.ts';

const LOCALES: Record<Language, string> = { en: 'en-GB', zh: 'zh-CN' };

export function formatLocalTime(app: App, at: Date, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: app.config.timeZone,
    timeZoneName: 'short',
  }).format(at);
}
