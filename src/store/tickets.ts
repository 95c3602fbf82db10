import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { tickets, TicketStatus, Priority } from './schema.ts';
import { getSetting, setSetting } from './settings.ts';
import { insertRow, prepared, updateRow } from './prepared.ts';
import { all, isPostgres, listsAddress, sqlRows, tablesOf } from './dialect.ts';

export type TicketRow = typeof tickets.$inferSelect;

/**
 * Ticket numbers only grow: a number is never handed out twice. SQLite keeps a counter in settings,
 * written in the mail's transaction (one writer at a time). PostgreSQL takes them from the sequence
 * ticket_numbers, which transactions running side by side share without waiting for each other; a
 * number taken by a transaction that rolls back is skipped, never reused.
 */
export async function nextTicketNumber(db: Db, startNumber: number): Promise<number> {
  if (isPostgres(db)) return nextSequenceNumber(db, startNumber);
  const stored = Number((await getSetting(db, 'next_ticket_number')) ?? 0);
  const number = Math.max(stored, startNumber);
  await setSetting(db, 'next_ticket_number', String(number + 1));
  return number;
}

const SEQUENCE_START_LOCK = 7_380_166_202_002;

async function nextSequenceNumber(db: Db, startNumber: number): Promise<number> {
  const next = async () => (await sqlRows<{ n: number }>(db, sql`SELECT nextval('ticket_numbers') AS n`))[0].n;
  const number = await next();
  if (number >= startNumber) return number;
  // Below the configured start (a new database): moved up once, under a lock, so that two workers
  // doing it together cannot set it back after the other has taken the first number.
  await sqlRows(db, sql`SELECT pg_advisory_xact_lock(${SEQUENCE_START_LOCK})`);
  await sqlRows(db, sql`SELECT setval('ticket_numbers', ${startNumber}, false) FROM ticket_numbers WHERE (CASE WHEN is_called THEN last_value + 1 ELSE last_value END) < ${startNumber}`);
  return next();
}

export interface NewTicket {
  number: number;
  subject: string;
  mailboxId: number;
  customerId: number;
  priority?: Priority;
  linkedTicketId?: number | null;
  at: Date;
}

export async function createTicket(db: Db, t: NewTicket): Promise<TicketRow> {
  const { tickets } = tablesOf(db);
  return insertRow(db, tickets, {
      number: t.number,
      subject: t.subject,
      mailboxId: t.mailboxId,
      customerId: t.customerId,
      priority: t.priority ?? 'normal',
      linkedTicketId: t.linkedTicketId ?? null,
      createdAt: t.at,
      updatedAt: t.at,
  });
}

export async function findTicketByNumber(db: Db, number: number): Promise<TicketRow | undefined> {
  const { tickets } = tablesOf(db);
  return prepared(db, 'ticketByNumber', () => db.select().from(tickets).where(eq(tickets.number, sql.placeholder('number'))).prepare()).get({ number });
}

export async function findTicketById(db: Db, id: number): Promise<TicketRow | undefined> {
  const { tickets } = tablesOf(db);
  return prepared(db, 'ticketById', () => db.select().from(tickets).where(eq(tickets.id, sql.placeholder('id'))).prepare()).get({ id });
}

export async function updateTicket(db: Db, id: number, change: Partial<Omit<TicketRow, 'id' | 'number'>>): Promise<TicketRow> {
  const { tickets } = tablesOf(db);
  await updateRow(db, tickets, tickets.id, id, change);
  return (await findTicketById(db, id))!;
}

export async function listTickets(db: Db, filter: { status?: TicketStatus; customerId?: number; limit?: number } = {}): Promise<TicketRow[]> {
  const { tickets } = tablesOf(db);
  const conditions = [
    filter.status ? eq(tickets.status, filter.status) : undefined,
    filter.customerId ? eq(tickets.customerId, filter.customerId) : undefined,
  ].filter((c) => c !== undefined);
  return all(db
    .select()
    .from(tickets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(tickets.number))
    .limit(filter.limit ?? -1));
}

/** The numbers of the tickets linked to this one, oldest first. */
export async function linkedTicketNumbers(db: Db, ticketId: number): Promise<number[]> {
  const { tickets } = tablesOf(db);
  return (await all(db
    .select({ number: tickets.number })
    .from(tickets)
    .where(eq(tickets.linkedTicketId, ticketId))
    .orderBy(asc(tickets.number))))
    .map((t) => t.number);
}

/**
 * Whether an address takes part in the ticket: its customer, or an address one of its mails was sent
 * to (To/Cc; a customer who copies a colleague brings the colleague in). The senders of its mails are
 * not counted: a robot filed on the ticket (a bounce) does not make its address a participant.
 */
export async function isParticipant(db: Db, ticket: TicketRow, address: string, customerEmail: string): Promise<boolean> {
  const { messages } = tablesOf(db);
  if (address === customerEmail) return true;
  const hit = await prepared(db, 'participant', () =>
    db
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.ticketId, sql.placeholder('ticketId')),
          or(listsAddress(db, messages.to, 'address'), listsAddress(db, messages.cc, 'address')),
        ),
      )
      .limit(1)
      .prepare(),
  ).get({ ticketId: ticket.id, address });
  return hit !== undefined;
}

