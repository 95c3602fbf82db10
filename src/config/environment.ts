// The one-mailbox setup by environment variables alone (POSTDESK_ADDRESS, _IMAP_URL, _SMTP_URL, ...),
// translated into the same shape as the config file so one schema validates both.
import { ConfigError } from '../cli/errors.ts';
import { isLoopbackHost } from './loopback.ts';
import { nonEmpty } from './locate.ts';

/** Which variable sets which top-level key: a mistake in a value is reported under the variable's name. */
export const ENVIRONMENT_KEYS = {
  address: 'POSTDESK_ADDRESS',
  secret: 'POSTDESK_SECRET',
  helpUrl: 'POSTDESK_HELP_URL',
  agents: 'POSTDESK_AGENTS',
  smtp: 'POSTDESK_SMTP_URL',
  mailboxes: 'POSTDESK_IMAP_URL',
  database: 'POSTDESK_DATABASE_URL',
} as const;

export function configFromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const address = nonEmpty(env, ENVIRONMENT_KEYS.address);
  const secret = nonEmpty(env, ENVIRONMENT_KEYS.secret);
  const helpUrl = nonEmpty(env, ENVIRONMENT_KEYS.helpUrl);
  const agents = nonEmpty(env, ENVIRONMENT_KEYS.agents);
  const smtpUrl = nonEmpty(env, ENVIRONMENT_KEYS.smtp);
  const imapUrl = nonEmpty(env, ENVIRONMENT_KEYS.mailboxes);
  const databaseUrl = nonEmpty(env, ENVIRONMENT_KEYS.database);
  const out: Record<string, unknown> = {};
  if (address !== undefined) out.address = address;
  if (secret !== undefined) out.secret = secret;
  if (helpUrl !== undefined) out.helpUrl = helpUrl;
  if (agents !== undefined) out.agents = parseAgentList(agents);
  if (smtpUrl !== undefined) out.smtp = smtpFromUrl(smtpUrl);
  if (databaseUrl !== undefined) out.database = { url: databaseUrl };
  if (imapUrl !== undefined) {
    if (address === undefined) throw new ConfigError('config: POSTDESK_IMAP_URL needs POSTDESK_ADDRESS (the support address)');
    out.mailboxes = [{ name: 'support', address, imap: imapFromUrl(imapUrl) }];
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
  const loopback = isLoopbackHost(url.hostname);
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
