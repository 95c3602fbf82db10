// The "Still need help? Email us" fallback: a mailto link with the question prefilled.
import { siteConfig } from './site-config.ts';

/** POSTDESK_ADDRESS (the address this Postdesk reads) wins over site.json's `supportAddress`. */
export const SUPPORT_ADDRESS = process.env.POSTDESK_ADDRESS || siteConfig().supportAddress || 'support@example.com';

export function mailtoLink(subject: string, body = ''): string {
  const params = [`subject=${encodeURIComponent(subject)}`];
  if (body) params.push(`body=${encodeURIComponent(body)}`);
  return `mailto:${SUPPORT_ADDRESS}?${params.join('&')}`;
}
