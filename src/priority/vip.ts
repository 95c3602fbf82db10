// A customer is a VIP when flagged in the database (`postdesk customers vip`) or listed in the config.
import type { App } from '../app.ts';
import type { CustomerRow } from '../store/customers.ts';

export function isVip(app: App, customer: Pick<CustomerRow, 'email' | 'vip'>): boolean {
  return customer.vip || app.config.priority.vip.includes(customer.email);
}
