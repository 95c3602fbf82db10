// Shared pieces of the IMAP tests: mailbox config pointing at the test IMAP server, threaded test mail,
// and waiting for an asynchronous outcome without fixed sleeps.
import type { App, Logger } from '../../src/app.ts';
import type { ConfigFile } from '../../src/config/schema.ts';
import { countOf } from '../helpers/db-rows.ts';
import { testDatabaseConfig } from '../helpers/test-database.ts';
import { buildMail } from '../helpers/mail.ts';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { ImapServer, ImapServerKind, ImapUser } from '../harness/imap-server.ts';

type MailboxFile = NonNullable<ConfigFile['mailboxes']>[number];
type ImapFile = NonNullable<MailboxFile['imap']>;

export function imapMailbox(server: ImapServer, user: ImapUser, name = 'support', imap: Partial<ImapFile> = {}): MailboxFile {
  return {
    name,
    address: `${name}@example.com`,
    imap: { host: server.host, port: server.port, tls: 'none', user: user.user, password: user.password, ...imap },
  };
}

/** The environment that puts a postdesk configured by environment variables on the suite's database. */
export async function testDatabaseEnv(): Promise<Record<string, string>> {
  const database = await testDatabaseConfig();
  return database ? { POSTDESK_DATABASE_URL: database.url } : {};
}

/**
 * `threads` conversations of `perThread` mails each, interleaved (every first mail, then every
 * second, ...) so that threading has to find each reply's ticket among many. Each reply carries
 * In-Reply-To and the full References chain, as mail clients send it.
 */
export function threadedMails(threads: number, perThread: number, tag = 't'): Buffer[] {
  const mails: Buffer[] = [];
  for (let step = 0; step < perThread; step++) {
    for (let t = 0; t < threads; t++) {
      const ids = Array.from({ length: step }, (_, i) => `${tag}${t}.${i}@customer.example`);
      mails.push(
        buildMail({
          from: `Customer ${t} <c${t}.${tag}@customer.example>`,
          subject: step === 0 ? `Question ${tag} ${t}` : `Re: Question ${tag} ${t}`,
          messageId: `${tag}${t}.${step}@customer.example`,
          inReplyTo: ids[ids.length - 1],
          references: ids,
          text: `Message ${step} of conversation ${t}.`,
        }),
      );
    }
  }
  return mails;
}

export function singleMail(id: string, extra: { text?: string; from?: string } = {}): Buffer {
  return buildMail({ from: extra.from ?? `${id}@customer.example`, subject: `Single ${id}`, messageId: `${id}@customer.example`, text: extra.text });
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function countRows(app: App, table: string, where = '1 = 1'): Promise<number> {
  return countOf(app, `SELECT count(*) AS n FROM ${table} WHERE ${where}`);
}

/** Stored customer mail; acknowledgements and notifications are messages too, but outbound. */
export function inbound(app: App): Promise<number> {
  return countRows(app, 'messages', "direction = 'in'");
}

/** A logger that keeps its lines, for asserting what an operator would read. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info: ${m}`),
    warn: (m) => void lines.push(`warn: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
  };
}

/** Inside a describe: starts the server with these users before its tests, stops it after them, and undoes spies after each. */
export function serverFor(kind: ImapServerKind, users: ImapUser[]): () => ImapServer {
  let server: ImapServer | undefined;
  beforeAll(async () => {
    server = await kind.start(users);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => server!;
}

/** The Message-IDs in Postdesk/Processed: how many mails, and how many different ones. */
export async function processedMessageIds(server: ImapServer, user: ImapUser): Promise<{ total: number; distinct: number }> {
  const client = await server.client(user);
  try {
    await client.mailboxOpen(['Postdesk', 'Processed']);
    const ids = (await client.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.messageId);
    return { total: ids.length, distinct: new Set(ids).size };
  } finally {
    await client.logout();
  }
}
