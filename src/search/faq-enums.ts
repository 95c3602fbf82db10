// The fixed lists of the FAQ format, without validation code: modules that end up in the browser
// (the help center's search script) import these, never faq-schema.ts, which pulls in zod.
export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

export const STAGES = ['prospect', 'new', 'existing'] as const;
export type Stage = (typeof STAGES)[number];
