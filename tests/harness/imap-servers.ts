// The IMAP servers the integration suites and bench:imap run against, one module each.
import { courier } from './courier.ts';
import { cyrus } from './cyrus.ts';
import { dovecot } from './dovecot.ts';
import type { ImapServerKind } from './imap-server.ts';

const all: ImapServerKind[] = [dovecot, cyrus, courier];

/** Every server, or those named in POSTDESK_TEST_IMAP_SERVERS (`cyrus,courier`) to work on one. */
export const imapServerKinds: ImapServerKind[] = process.env.POSTDESK_TEST_IMAP_SERVERS
  ? process.env.POSTDESK_TEST_IMAP_SERVERS.split(',').map((name) => imapServerKind(name.trim()))
  : all;

export function imapServerKind(name: string): ImapServerKind {
  const kind = all.find((k) => k.name === name);
  if (!kind) throw new Error(`unknown IMAP server ${name}: one of ${all.map((k) => k.name).join(', ')}`);
  return kind;
}
