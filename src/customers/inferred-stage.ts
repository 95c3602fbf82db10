// The stage a customer's tickets tell: no resolved ticket yet → prospect, unless their first mail is
// about an order or a delivery (customers.orderWords: a buyer asking) → new; a first resolved ticket
// within customers.newForDays → new; longer ago → existing.
import type { App } from '../app.ts';
import type { CustomersConfig } from '../config/schema.ts';
import { wordPattern, type WordPattern } from '../priority/keywords.ts';
import { firstCustomerMail, firstResolvedAt } from '../store/customer-history.ts';
import type { CustomerStage } from '../store/schema.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The words' patterns, built once per configuration. */
const patterns = new WeakMap<CustomersConfig['orderWords'], WordPattern[]>();

/** A mail says what it is about near its top; a pasted log below need not be scanned. */
const SAMPLE_CHARS = 4000;

/** Whether the text speaks of an order or a delivery; Latin words whole, Chinese anywhere (as priority keywords). */
export function mentionsOrder(config: CustomersConfig, text: string): boolean {
  let words = patterns.get(config.orderWords);
  if (!words) patterns.set(config.orderWords, (words = config.orderWords.map(wordPattern)));
  const sample = text.slice(0, SAMPLE_CHARS);
  return words.some((word) => word.test(sample));
}

export async function inferredStage(app: App, customerId: number): Promise<CustomerStage> {
  const config = app.config.customers;
  const resolvedAt = await firstResolvedAt(app.db, customerId);
  if (resolvedAt) return app.now().getTime() - resolvedAt.getTime() <= config.newForDays * DAY_MS ? 'new' : 'existing';
  const first = await firstCustomerMail(app.db, customerId);
  return first && mentionsOrder(config, `${first.subject}\n${first.text}`) ? 'new' : 'prospect';
}
