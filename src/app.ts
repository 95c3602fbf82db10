// The running application's shared parts: configuration, database, content stores, clock, log.
// Every command and loop receives one App, so tests can build one on a temporary directory.
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { loadConfig, type LoadedConfig, type LoadOptions } from './config/load.ts';
import { storedSecret, storedSecretIn } from './config/secret.ts';
import { ensureDataDir } from './store/data-dir.ts';
import { openDatabase, SQLITE_FILE, type Db } from './store/db.ts';
import { sqliteTransactions, type Transactions } from './store/transactions.ts';
import type { AppContentStores, ContentStore } from './store/content-store.ts';
import type { PackLocation } from './store/pack-store.ts';
import { PackContentStore, packContentStores } from './store/pack-content-store.ts';
import { pgContentStores } from './store/pg/content-store.ts';
import { ensurePrivateDataDir } from './store/private-data.ts';
import { syncMailboxes, type MailboxRow } from './store/mailboxes.ts';
import { syncAgents } from './store/agents.ts';
import type { IngestResult } from './inbound/ingest-result.ts';
import { DecodePool, inlineDecoder } from './inbound/decode/pool.ts';
import type { MailDecoder } from './inbound/decode/decoded-mail.ts';
import { keepingHandedBack } from './inbound/decode/hand-back.ts';
import type { DecodeStorage } from './inbound/decode/decoded-mail.ts';
import { UsageError } from './cli/errors.ts';
import { workerIdentity, type WorkerIdentity } from './workers/identity.ts';
import { visible } from './cli/terminal-text.ts';

export type Clock = () => Date;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AppEvents {
  ingested: [IngestResult];
}

export interface App {
  config: LoadedConfig;
  /** Queries outside a transaction (committed data); inside one, the transaction's handle (see inTransaction). */
  db: Db;
  /** Every write runs in one of these (see store/transactions.ts); use inTransaction below. */
  transactions: Transactions;
  /** Raw mails (quarantined ones too) and attachments: the data directory's packs with SQLite, a table with PostgreSQL. */
  raw: ContentStore<PackLocation>;
  attachments: ContentStore<PackLocation>;
  secret: string;
  now: Clock;
  log: Logger;
  events: EventEmitter<AppEvents>;
  /** The configured mailboxes as stored rows; the first is the default. */
  mailboxes: MailboxRow[];
  /** Turns raw mail into decoded mail: in worker threads, unless ingest.decodeWorkers is 0. */
  decoder: MailDecoder;
  /** This process as a worker sharing the database (registered by `postdesk run`, see workers/membership.ts). */
  worker: WorkerIdentity;
  /** Closes the database (SQLite at once; PostgreSQL's pool when its connections are given back). */
  close(): Promise<void>;
}

export interface AppOptions extends LoadOptions {
  now?: Clock;
  log?: Logger;
  config?: LoadedConfig;
  /** Decode in the main thread: for one mail, starting a worker costs more than it saves. */
  decodeInline?: boolean;
}

/** Log lines name senders, subjects and file names: shown with visible escapes, one line each. */
export const stderrLogger: Logger = {
  info: (m) => process.stderr.write(`${new Date().toISOString()} ${visible(m)}\n`),
  warn: (m) => process.stderr.write(`${new Date().toISOString()} warning: ${visible(m)}\n`),
  error: (m) => process.stderr.write(`${new Date().toISOString()} error: ${visible(m)}\n`),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export async function openApp(opts: AppOptions = {}): Promise<App> {
  const config = opts.config ?? loadConfig(opts);
  ensureDataDir(config.dataDir);
  const log = opts.log ?? stderrLogger;
  const tightened = ensurePrivateDataDir(config.dataDir);
  if (tightened) log.warn(tightened);
  const database = await openStore(config, log);
  // With PostgreSQL, nothing another machine needs stays in the data directory.
  const stores = database.contentsPool ? pgContentStores(database.contentsPool) : packContentStores(config.dataDir, database.transactions);
  let secret: string;
  try {
    secret = config.secret ?? (database.pool ? await database.transactions.run((tx) => storedSecretIn(tx)) : storedSecret(config.dataDir));
  } catch (err) {
    await database.close();
    throw err;
  }
  const inline = inlineDecoder(stores);
  const decoder = opts.decodeInline ? inline : mailDecoder(config, log, inline, stores);
  let closing: Promise<void> | undefined;
  const app: App = {
    config,
    db: database.read,
    transactions: database.transactions,
    ...stores,
    secret,
    now: opts.now ?? (() => new Date()),
    log,
    events: new EventEmitter<AppEvents>(),
    mailboxes: [],
    decoder,
    worker: workerIdentity(new Date()),
    // Once, however often it is called (a node-postgres pool refuses a second end).
    close: () => (closing ??= (async () => {
      void decoder.close();
      app.raw.close();
      app.attachments.close();
      await database.close();
    })()),
  };
  await inTransaction(app, async ({ db }) => {
    app.mailboxes = await syncMailboxes(db, config);
    await syncAgents(db, config.agents);
  });
  return app;
}

/** The database of `database.url`, or SQLite in the data directory. */
async function openStore(config: LoadedConfig, log: Logger): Promise<{ read: Db; transactions: Transactions; pool?: pg.Pool; contentsPool?: pg.Pool; close(): void | Promise<void> }> {
  const target = config.database;
  if (target.kind === 'postgres') {
    // Loaded only here: the driver costs every SQLite process (one per mail from an MTA) 10 ms at start.
    const { openPostgres } = await import('./store/pg/database.ts');
    try {
      return await openPostgres(target, (err) => log.warn(`database connection lost (${err.message}); the pool opens a new one`));
    } catch (err) {
      throw new Error(`database ${target.label}: ${(err as Error).message}`, { cause: err });
    }
  }
  const sqlite = openDatabase(path.join(config.dataDir, SQLITE_FILE));
  return { read: sqlite.read, transactions: sqliteTransactions(sqlite.write), close: sqlite.close };
}

/**
 * Runs `work` as one database transaction, given the App with the transaction's handle as its db:
 * everything `work` reads and writes through it is one transaction. Inside a transaction already,
 * `work` joins it.
 */
export function inTransaction<T>(app: App, work: (app: App) => Promise<T>): Promise<T> {
  if (app.transactions.holds(app.db)) return work(app);
  return app.transactions.run((db) => work({ ...app, db }));
}

function mailDecoder(config: LoadedConfig, log: Logger, inline: MailDecoder, stores: AppContentStores): MailDecoder {
  // One core stays with the main thread, which commits what the workers decode.
  const workers = config.ingest.decodeWorkers ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
  if (workers === 0) return inline;
  // Workers append to packs of their own; a table they cannot reach is kept by this thread (hand-back.ts).
  const storage: DecodeStorage =
    stores.raw instanceof PackContentStore && stores.attachments instanceof PackContentStore
      ? { rawDir: stores.raw.packs.dir, attachmentsDir: stores.attachments.packs.dir }
      : 'hand-back';
  const pool = new DecodePool({
    workers,
    timeoutMs: config.ingest.decodeTimeoutSeconds * 1000,
    memoryMB: config.ingest.decodeMemoryMB,
    storage,
    inline,
    onBroken: (reason) => log.warn(`decode workers cannot start (${reason}); decoding in the main thread`),
  });
  return storage === 'hand-back' ? keepingHandedBack(pool, stores) : pool;
}

export function mailboxByName(app: App, name: string | undefined): MailboxRow {
  if (!name) return app.mailboxes[0];
  const found = app.mailboxes.find((m) => m.name === name);
  if (!found) throw new UsageError(`no mailbox named ${name} (configured: ${app.mailboxes.map((m) => m.name).join(', ')})`);
  return found;
}
