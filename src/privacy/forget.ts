// `postdesk customers forget`: erases a customer's personal data. In order:
//  1. one transaction anonymizes the rows (store/customer-data.ts) and records the audit event, with
//     the kept contents no other row needs any more listed as pending;
//  2. those contents leave their store (the packs, store/pack-compaction.ts; or PostgreSQL's contents
//     table), the sent-mail copies and the inbox's copies are deleted, and the event's pending list is
//     cleared: an erasure cut short here is finished by the next `forget`;
//  3. SQLite: the database is vacuumed and its WAL truncated, so the old text is in no free page or
//     frame. PostgreSQL: the touched tables are vacuumed (plain VACUUM), which makes the dead rows'
//     space reusable; the old bytes stay in the data files until overwritten, and in WAL segments,
//     archives and backups until those are recycled (README, "Customer data").
import fs from 'node:fs';
import path from 'node:path';
import { inTransaction, type App } from '../app.ts';
import { sentCopyFile } from '../outbound/delivery.ts';
import { markErasureDone, pendingErasures, recordAuditEvent } from '../store/audit.ts';
import { eraseCustomerRows, unkeptAttachments, unkeptRawMails } from '../store/customer-data.ts';
import type { Db } from '../store/db.ts';
import type { ContentStore } from '../store/content-store.ts';
import { isPostgres, sqlRows } from '../store/dialect.ts';
import type { ErasureOutcome } from '../store/pack-compaction.ts';
import { PackContentStore } from '../store/pack-content-store.ts';
import { sha256, type PackLocation } from '../store/pack-store.ts';
import { sql } from 'drizzle-orm';
import { holdingCounts, type Holdings } from './holdings.ts';

export interface ForgetOutcome {
  auditEvent: number;
  erased: ReturnType<typeof holdingCounts>;
  raw: ErasureOutcome;
  attachments: ErasureOutcome;
  files: number;
  /** False when another process kept reading the database, so its WAL could not be truncated (SQLite). */
  walTruncated: boolean;
}

export async function forgetCustomer(app: App, h: Holdings, actor: string): Promise<ForgetOutcome> {
  const erased = holdingCounts(h);
  const auditEvent = await inTransaction(app, async ({ db }) => {
    await eraseCustomerRows(db, h, h.heldMails);
    const raws = [...h.messages.map((m) => m.rawSha256), ...h.duplicates.map((d) => d.rawSha256), ...h.heldMails.map((q) => q.rawSha256), ...h.feedback.map((f) => f.rawSha256)];
    return recordAuditEvent(db, {
      type: 'customer-forgotten',
      actor,
      data: { customer: h.customer.id, ...erased },
      pending: {
        raw: await unkeptRawMails(db, raws.filter((sha): sha is string => sha !== null)),
        attachments: await unkeptAttachments(db, h.attachments.map((a) => a.sha256)),
        sentMessageIds: h.outbox.map((o) => o.messageId),
      },
      at: app.now(),
    });
  });
  const finished = await finishPendingErasures(app);
  return { auditEvent, erased, ...finished, walTruncated: await app.transactions.maintenance(async (db) => compactDatabase(db)) };
}

/** Removes from disk what recorded erasures still list (this one's, and any cut short before). */
async function finishPendingErasures(app: App): Promise<Pick<ForgetOutcome, 'raw' | 'attachments' | 'files'>> {
  const pending = await pendingErasures(app.db);
  const all = (key: 'raw' | 'attachments' | 'sentMessageIds') => new Set(pending.flatMap((e) => e.pending![key]));
  const raws = all('raw');
  const outcome = {
    raw: await eraseContents(app.raw, raws),
    attachments: await eraseContents(app.attachments, all('attachments')),
    files: removeSentCopies(app.config.dataDir, all('sentMessageIds')) + removeInboxCopies(path.join(app.config.dataDir, 'inbox'), raws),
  };
  await inTransaction(app, async ({ db }) => {
    for (const e of pending) await markErasureDone(db, e.id);
  });
  return outcome;
}

/** What the packs tell of an erasure (packs rewritten or zeroed); a table only counts its rows. */
async function eraseContents(store: ContentStore<PackLocation>, sha256s: Set<string>): Promise<ErasureOutcome> {
  if (store instanceof PackContentStore) return store.eraseReporting(sha256s);
  return { records: await store.erase(sha256s), rewritten: 0, zeroed: 0 };
}

function removeSentCopies(dataDir: string, messageIds: Set<string>): number {
  let removed = 0;
  for (const messageId of messageIds) {
    const file = sentCopyFile(dataDir, messageId);
    for (const f of [file, `${file}.tmp`]) {
      if (fs.existsSync(f)) {
        fs.rmSync(f);
        removed++;
      }
    }
  }
  return removed;
}

/** `postdesk deliver` leaves each ingested mail in data/inbox/cur: the copies of erased mails go too. */
function removeInboxCopies(inbox: string, raws: Set<string>): number {
  let removed = 0;
  if (!raws.size) return removed;
  for (const folder of ['new', 'cur']) {
    const dir = path.join(inbox, folder);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (raws.has(sha256(fs.readFileSync(file)))) {
        fs.rmSync(file);
        removed++;
      }
    }
  }
  return removed;
}

/** The tables an erasure changes (store/customer-data.ts, store/audit.ts, the contents). */
const ERASED_TABLES = sql`customers, tickets, messages, attachments, duplicate_deliveries, ticket_events, outbox, quarantine, faq_feedback, audit_events, contents`;

/**
 * SQLite: VACUUM rewrites the database without its free pages; the TRUNCATE checkpoint empties the
 * WAL. Both on the writing connection, outside a transaction. PostgreSQL: a plain VACUUM of the
 * touched tables (VACUUM FULL would lock them against the running service).
 */
async function compactDatabase(db: Db): Promise<boolean> {
  if (isPostgres(db)) {
    await sqlRows(db, sql`VACUUM ${ERASED_TABLES}`);
    return true;
  }
  db.$client.exec('VACUUM');
  const [result] = db.$client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return result.busy === 0;
}
