// The one-mailbox setup by environment variables alone (POSTDESK_ADDRESS, _IMAP_URL, _SMTP_URL, ...),
// translated into the same shape as the config file so one schema validates both.
import { ConfigError } from '../cli/errors.ts';

export function configFromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.POSTDESK_ADDRESS) out.address = env.POSTDESK_ADDRESS;
  if (env.POSTDESK_SECRET) out.secret = env.POSTDESK_SECRET;
  if (env.POSTDESK_HELP_URL) out.helpUrl = env.POSTDESK_HELP_URL;
  if (env.POSTDESK_AGENTS) out.agents = parseAgentList(env.POSTDESK_AGENTS);
  if (env.POSTDESK_SMTP_URL) out.smtp = smtpFromUrl(env.POSTDESK_SMTP_URL);
  if (env.POSTDESK_IMAP_URL) {
    if (!env.POSTDESK_ADDRESS) throw new ConfigError('config: POSTDESK_IMAP_URL needs POSTDESK_ADDRESS (the support address)');
    out.mailboxes = [{ name: 'support', address: env.POSTDESK_ADDRESS, imap: imapFromUrl(env.POSTDESK_IMAP_URL) }];
  }
  return out;
}

/** `Ann Lee <ann@example.com>, bob@example.com` → [{name, email}] */
export function parseAgentList(list: string): { name: string; email: string }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(.*?)\s*<([^<>\s]+)>$/.exec(entry);
      const email = (m ? m[2] : entry).trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError(`config: POSTDESK_AGENTS: not an address: ${entry}`);
      const name = m && m[1] ? m[1].replace(/^"|"$/g, '') : email.split('@')[0];
      return { name, email };
    });
}

function parseUrl(value: string, key: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`config: ${key}: not a URL`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`config: ${key}: protocol must be ${protocols.join(' or ')}`);
  return url;
}

function imapFromUrl(value: string): Record<string, unknown> {
  const url = parseUrl(value, 'POSTDESK_IMAP_URL', ['imap:', 'imaps:']);
  const folder = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'imaps:' ? 993 : 143,
    tls: url.protocol === 'imaps:' ? 'implicit' : loopback ? 'none' : 'starttls',
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    folder,
  };
}

function smtpFromUrl(value: string): Record<string, unknown> {
  const url = parseUrl(value, 'POSTDESK_SMTP_URL', ['smtp:', 'smtps:']);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : {}),
  };
}
