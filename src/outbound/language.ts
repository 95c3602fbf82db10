// The customer's language: stored on the customer (set from their first mail, or by an admin),
// else the configured default. Detection is deliberately simple: mostly-Han text is Chinese.
import type { App } from '../app.ts';
import { findCustomerById, updateCustomer, type CustomerRow } from '../store/customers.ts';
import { LANGUAGES, type Language } from './templates.ts';

const HAN = /\p{Script=Han}/gu;
const LETTER = /[\p{L}]/gu;

/** The beginning of a mail tells its language; counting the letters of a pasted 5 MB log took 1.8 s. */
const SAMPLE_CHARS = 20_000;

/** 'zh' when at least a third of the letters are Han characters; otherwise no opinion (the default applies). */
export function detectLanguage(whole: string): Language | undefined {
  const text = whole.slice(0, SAMPLE_CHARS);
  const han = text.match(HAN)?.length ?? 0;
  // Most mail has no Han at all: then the letters need no counting.
  if (han < 2) return undefined;
  const letters = text.match(LETTER)?.length ?? 0;
  return han * 3 >= letters ? 'zh' : undefined;
}

export function isLanguage(value: string | null | undefined): value is Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

export async function customerLanguage(app: App, customerId: number): Promise<Language> {
  return languageOf(app, await findCustomerById(app.db, customerId));
}

/** The language stored on a customer the caller has read, else the configured default. */
export function languageOf(app: App, customer: Pick<CustomerRow, 'language'> | undefined): Language {
  const stored = customer?.language;
  return isLanguage(stored) ? stored : app.config.language;
}

/**
 * On a customer's first mail: remember the language it was written in, unless one is stored.
 * Returns the customer as stored now.
 */
export async function rememberCustomerLanguage(app: App, customer: CustomerRow, text: string): Promise<CustomerRow> {
  if (customer.language) return customer;
  const detected = detectLanguage(text);
  if (!detected) return customer;
  await updateCustomer(app.db, customer.id, { language: detected });
  return { ...customer, language: detected };
}
