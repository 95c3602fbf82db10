// The "Still need help? Email us" fallback: a mailto link with the question prefilled.
export const SUPPORT_ADDRESS = process.env.POSTDESK_ADDRESS || 'support@example.com';

export function mailtoLink(subject: string, body = ''): string {
  const params = [`subject=${encodeURIComponent(subject)}`];
  if (body) params.push(`body=${encodeURIComponent(body)}`);
  return `mailto:${SUPPORT_ADDRESS}?${params.join('&')}`;
}
