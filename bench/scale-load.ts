// Bulk loads of bench:scale's generated help desk, each the way its database advises: secondary
// indexes dropped and built once after the rows are in (a sorted build instead of row-by-row
// updates), then statistics for the planner. Both load the rows of scale-data.ts.
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { CUSTOMERS, NOW, SPAN_DAYS, DAY, customerEmail, generatedTickets, type GeneratedTicket } from './scale-data.ts';

const TABLES = ['tickets', 'messages', 'sla_clocks', 'ticket_events'];

/** SQLite, on the writing connection outside the store's transactions (they cannot switch the journal off). */
export function loadSqlite(db: Database.Database, count: number, mailboxId: number): void {
  const insertCustomer = db.prepare('INSERT INTO customers (id, email, created_at) VALUES (?, ?, ?)');
  const insertTicket = db.prepare(
    `INSERT INTO tickets (id, number, subject, status, priority, mailbox_id, customer_id, created_at, updated_at, resolved_at, first_response_at, due_at, sla_paused_at, rating)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(`INSERT INTO ticket_events (ticket_id, type, data, created_at) VALUES (?, 'status-changed', ?, ?)`);
  const insertMessage = db.prepare(
    `INSERT INTO messages (ticket_id, mailbox_id, direction, kind, message_id, from_address, subject, received_at) VALUES (?, ?, 'in', 'customer', ?, ?, ?, ?)`,
  );
  const insertClock = db.prepare(
    'INSERT INTO sla_clocks (ticket_id, target, started_at, warn_at, due_at, paused_at, stopped_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // No rollback journal and a big page cache, as SQLite advises for a bulk load.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map((t) => `'${t}'`).join(', ')})`)
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  db.transaction(() => {
    for (let c = 1; c <= CUSTOMERS; c++) insertCustomer.run(c, customerEmail(c), NOW - SPAN_DAYS * DAY);
    for (const t of generatedTickets(count)) {
      insertTicket.run(t.id, t.number, t.subject, t.status, t.priority, mailboxId, t.customerId, t.createdAt, t.updatedAt, t.resolvedAt, t.firstResponseAt, t.dueAt, t.slaPausedAt, t.rating);
      if (t.resolved) insertEvent.run(t.id, t.resolved.data, t.resolved.at);
      insertMessage.run(t.id, mailboxId, t.messageId, t.fromAddress, t.subject, t.createdAt);
      insertClock.run(t.id, 'first-response', t.clock.startedAt, t.clock.warnAt, t.clock.dueAt, null, t.clock.stoppedAt);
    }
  })();
  for (const index of indexes) db.exec(index.sql);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('ANALYZE');
}

/** Rows per INSERT: each column travels as one array parameter, unnested on the server. */
const BATCH = 20_000;

/** epoch ms → timestamptz, in SQL: the arrays carry plain numbers. */
const at = (column: string) => `to_timestamp(${column} / 1000.0)`;

/**
 * PostgreSQL, on a superuser connection to the migrated database (node-postgres has no COPY; an
 * `INSERT … SELECT FROM unnest($1, $2, …)` of array parameters is one statement per 20,000 rows).
 * Foreign keys are not checked while loading (session_replication_role = replica: the rows are
 * generated consistent), then VACUUM ANALYZE, as autovacuum would leave a long-lived database:
 * statistics, and a visibility map for index-only scans.
 */
export async function loadPostgres(client: pg.Client, count: number, mailboxId: number): Promise<void> {
  await client.query(`SET session_replication_role = replica`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  // Indexes that back no constraint (the primary and unique keys stay).
  const indexes = (
    await client.query<{ name: string; sql: string }>(
      `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [TABLES],
    )
  ).rows;
  for (const index of indexes) await client.query(`DROP INDEX ${client.escapeIdentifier(index.name)}`);
  await client.query(
    `INSERT INTO customers (id, email, created_at) SELECT g, 'customer' || g || '@bench.example', ${at('$2::float8')} FROM generate_series(1, $1::int) g`,
    [CUSTOMERS, NOW - SPAN_DAYS * DAY],
  );
  let batch: GeneratedTicket[] = [];
  const flush = async () => {
    if (batch.length) await insertBatch(client, batch, mailboxId);
    batch = [];
  };
  for (const t of generatedTickets(count)) {
    batch.push(t);
    if (batch.length === BATCH) await flush();
  }
  await flush();
  for (const index of indexes) await client.query(index.sql);
  // Identity columns were given their ids: move their sequences past them, as `db copy` does.
  for (const table of ['customers', ...TABLES]) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM ${client.escapeIdentifier(table)}))`, [table]);
  }
  await client.query(`SELECT setval('ticket_numbers', $1::int)`, [100_000 + count]);
  await client.query('VACUUM ANALYZE');
}

async function insertBatch(client: pg.Client, batch: GeneratedTicket[], mailboxId: number): Promise<void> {
  const col = <T>(f: (t: GeneratedTicket) => T) => batch.map(f);
  await client.query(
    `INSERT INTO tickets (id, number, subject, status, priority, mailbox_id, customer_id, created_at, updated_at, resolved_at, first_response_at, due_at, sla_paused_at, rating)
     SELECT id, number, subject, status, priority, $14, customer_id, ${at('created_at')}, ${at('updated_at')}, ${at('resolved_at')}, ${at('first_response_at')}, ${at('due_at')}, ${at('sla_paused_at')}, rating
     FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::int[])
       AS u(id, number, subject, status, priority, customer_id, created_at, updated_at, resolved_at, first_response_at, due_at, sla_paused_at, rating)`,
    [
      col((t) => t.id),
      col((t) => t.number),
      col((t) => t.subject),
      col((t) => t.status),
      col((t) => t.priority),
      col((t) => t.customerId),
      col((t) => t.createdAt),
      col((t) => t.updatedAt),
      col((t) => t.resolvedAt),
      col((t) => t.firstResponseAt),
      col((t) => t.dueAt),
      col((t) => t.slaPausedAt),
      col((t) => t.rating),
      mailboxId,
    ],
  );
  const resolved = batch.filter((t) => t.resolved);
  await client.query(
    `INSERT INTO ticket_events (ticket_id, type, data, created_at)
     SELECT ticket_id, 'status-changed', data, ${at('created_at')} FROM unnest($1::int[], $2::jsonb[], $3::float8[]) AS u(ticket_id, data, created_at)`,
    [resolved.map((t) => t.id), resolved.map((t) => t.resolved!.data), resolved.map((t) => t.resolved!.at)],
  );
  await client.query(
    `INSERT INTO messages (ticket_id, mailbox_id, direction, kind, message_id, from_address, subject, received_at)
     SELECT ticket_id, $6, 'in', 'customer', message_id, from_address, subject, ${at('received_at')}
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS u(ticket_id, message_id, from_address, subject, received_at)`,
    [col((t) => t.id), col((t) => t.messageId), col((t) => t.fromAddress), col((t) => t.subject), col((t) => t.createdAt), mailboxId],
  );
  await client.query(
    `INSERT INTO sla_clocks (ticket_id, target, started_at, warn_at, due_at, stopped_at)
     SELECT ticket_id, 'first-response', ${at('started_at')}, ${at('warn_at')}, ${at('due_at')}, ${at('stopped_at')}
     FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::float8[]) AS u(ticket_id, started_at, warn_at, due_at, stopped_at)`,
    [col((t) => t.id), col((t) => t.clock.startedAt), col((t) => t.clock.warnAt), col((t) => t.clock.dueAt), col((t) => t.clock.stoppedAt)],
  );
}
