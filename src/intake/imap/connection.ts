// One authenticated IMAP connection for a configured mailbox, in the TLS mode its config asks for.
// Plain text is allowed only to a loopback server (checked when the configuration loads): a password
// never crosses a network unencrypted.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { App } from '../../app.ts';
import { resolveSecret } from '../../config/load.ts';
import type { ImapConfig } from '../../config/schema.ts';
import { tlsOptions } from '../../config/tls.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';

/** The mailbox cannot work until its configuration changes (wrong password, an unset password variable): no retry. */
export class MailboxUnusable extends Error {}

const DEFAULT_PORT = { implicit: 993, starttls: 143, none: 143 } as const;

/** The IMAP section of a mailbox's configuration; the mailbox must have one. */
export function imapConfigOf(app: App, mailbox: MailboxRow): ImapConfig {
  const imap = app.config.mailboxes.find((m) => m.name === mailbox.name)?.imap;
  if (!imap) throw new MailboxUnusable(`mailbox ${mailbox.name}: no imap section in its configuration`);
  return imap;
}

export function imapMailboxes(app: App): MailboxRow[] {
  const withImap = new Set(app.config.mailboxes.filter((m) => m.imap).map((m) => m.name));
  return app.mailboxes.filter((m) => withImap.has(m.name));
}

export function clientOptions(mailboxName: string, imap: ImapConfig): ImapFlowOptions {
  let pass: string | undefined;
  try {
    pass = resolveSecret(imap.password, `mailboxes.${mailboxName}.imap.password`);
  } catch (err) {
    throw new MailboxUnusable((err as Error).message);
  }
  return {
    host: imap.host,
    port: imap.port ?? DEFAULT_PORT[imap.tls],
    secure: imap.tls === 'implicit',
    // STARTTLS is required, not opportunistic: a server that does not offer it is refused.
    doSTARTTLS: imap.tls === 'starttls' ? true : imap.tls === 'none' ? false : undefined,
    auth: { user: imap.user, pass },
    tls: tlsOptions(imap),
    logger: false,
    // The watch loop starts IDLE itself right after each drain; imapflow's own timer would wait 15 s.
    disableAutoIdle: true,
    // Renew IDLE before the 5-minute socket timeout, for servers that stay silent while idling.
    maxIdleTime: 4 * 60_000,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
  };
}

/** Connects and logs in; a refused login becomes MailboxUnusable naming the mailbox, user and server. */
export async function connectMailbox(mailbox: MailboxRow, imap: ImapConfig): Promise<ImapFlow> {
  const options = clientOptions(mailbox.name, imap);
  const client = new ImapFlow(options);
  // imapflow emits socket errors as events; the failing command reports them to us as well.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    client.close();
    const failure = err as Error & { authenticationFailed?: boolean; serverResponseCode?: string; response?: string };
    // [UNAVAILABLE] is the server's own auth backend failing for now (RFC 5530): worth a retry.
    if (failure.authenticationFailed && failure.serverResponseCode !== 'UNAVAILABLE') {
      const server = failure.response ? `: server said "${failure.response}"` : '';
      throw new MailboxUnusable(
        `mailbox ${mailbox.name}: IMAP login as ${imap.user} at ${options.host}:${options.port} was refused${server} (check mailboxes[].imap.user and password)`,
      );
    }
    throw err;
  }
  return client;
}
