// Narrow reads for composing outgoing mail on the ingest path: only the columns a mail needs, each
// query prepared once (building a drizzle query cost more than SQLite took to run it).
import { and, desc, eq, ne, or, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { prepared } from './prepared.ts';
import type { MailboxRow } from './mailboxes.ts';
import type { MessageRow } from './messages.ts';
import type { TicketRow } from './tickets.ts';
import { tablesOf } from './dialect.ts';

export type SendingMailbox = Pick<MailboxRow, 'id' | 'name' | 'address'>;

/** The mailbox a ticket's mail is sent from: its name and address. */
export async function sendingMailbox(db: Db, mailboxId: number): Promise<SendingMailbox | undefined> {
  const { mailboxes } = tablesOf(db);
  return prepared(db, 'sendingMailbox', () =>
    db
      .select({ id: mailboxes.id, name: mailboxes.name, address: mailboxes.address })
      .from(mailboxes)
      .where(eq(mailboxes.id, sql.placeholder('mailboxId')))
      .prepare(),
  ).get({ mailboxId });
}

export type ThreadIds = Pick<MessageRow, 'messageId' | 'inReplyTo' | 'references'>;

/** The ids of the latest mail the customer can see on a ticket: one we sent, or their own (no notes). */
export async function lastVisibleMessage(db: Db, ticketId: number): Promise<ThreadIds | undefined> {
  const { messages } = tablesOf(db);
  return prepared(db, 'lastVisibleMessage', () =>
    db
      .select({ messageId: messages.messageId, inReplyTo: messages.inReplyTo, references: messages.references })
      .from(messages)
      .where(
        and(
          eq(messages.ticketId, sql.placeholder('ticketId')),
          ne(messages.kind, 'note'),
          or(eq(messages.direction, 'out'), eq(messages.kind, 'customer')),
        ),
      )
      .orderBy(desc(messages.id))
      .limit(1)
      .prepare(),
  ).get({ ticketId });
}

export type TicketSummary = Pick<TicketRow, 'id' | 'number' | 'subject' | 'status' | 'createdAt'>;

/** A customer's tickets, newest first (as `listTickets` orders them), at most `limit`. */
export async function customerTickets(db: Db, customerId: number, limit: number): Promise<TicketSummary[]> {
  const { tickets } = tablesOf(db);
  return prepared(db, 'customerTickets', () =>
    db
      .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, createdAt: tickets.createdAt })
      .from(tickets)
      .where(eq(tickets.customerId, sql.placeholder('customerId')))
      .orderBy(desc(tickets.number))
      .limit(sql.placeholder('limit'))
      .prepare(),
  ).all({ customerId, limit });
}

/** How many tickets a customer has, counted up to `upTo` (enough to tell a first ticket); read from the index alone. */
export async function customerTicketCount(db: Db, customerId: number, upTo: number): Promise<number> {
  const { tickets } = tablesOf(db);
  const ids = await prepared(db, 'customerTicketCount', () =>
    db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.customerId, sql.placeholder('customerId')))
      .limit(sql.placeholder('upTo'))
      .prepare(),
  ).all({ customerId, upTo });
  return ids.length;
}
