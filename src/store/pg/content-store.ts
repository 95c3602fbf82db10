// The content store on PostgreSQL: raw mails (quarantined ones too) and attachments as bytea rows of
// one table, `contents`, keyed by (kind, sha256), so that every worker on every machine reads what
// any of them kept. Keyed by kind as well as sha256: a mail attached verbatim to another is both a raw
// mail and an attachment, and erasing one must not take the other.
//
// put is INSERT … ON CONFLICT DO NOTHING: the same bytes put twice, or by eight workers at once, are
// one row, and a put is idempotent. So the pipeline may put a raw mail in autocommit before the mail's
// transaction: if that transaction then fails, what is left is a row no other row points at, never a
// row pointing at nothing (an unreferenced content is what a sweep would remove; none exists yet).
// put also runs on a caller's client, inside its transaction, where the content must come and go
// with the rows. A pool is not shared between threads: a decode worker thread that keeps the raw mail
// (keep-raw) needs a small pool of its own.
//
// The table is in the schema (./schema.ts, migration 0001_contents). A ref is what the rows keep, in
// the pack stores' shape: `pack` names the table (CONTENTS_PACK) and `offset` is 0, since the row is
// found by kind and sha256; a row copied from SQLite keeps its pack location, which nothing here reads.
//
// Storage: EXTERNAL, out of line in TOAST and not compressed, as the packs keep them. bench:content
// measured bytea's default (EXTENDED, pglz) at 1.8 times EXTERNAL's time per mail put, for no
// space saved: pglz gives up on a mail whose base64 attachments leave it under 25 % smaller, after
// trying. lz4 took EXTERNAL's time and kept 15 % less, but needs a server built with it; an operator
// who wants it runs `ALTER TABLE contents ALTER COLUMN bytes SET STORAGE EXTENDED, ALTER COLUMN
// bytes SET COMPRESSION lz4` (new rows only). Most attachments (images, PDF, zip) are compressed already.
// get reads the whole value: a 25 MB mail (ingest.maxMessageBytes) comes back as one 50 MB hex text
// (node-postgres reads no binary results), well within what a process holds while handling a mail.
// erase deletes the rows; PostgreSQL frees the space at the next vacuum, and the bytes stay in WAL
// and backups until those are recycled, as with the database's other rows.
import type pg from 'pg';
import { ContentError, type AppContentStores, type ContentKind, type ContentRef, type ContentStore } from '../content-store.ts';
import { sha256, type PackLocation } from '../pack-store.ts';

/** The `pack` of a ref to a content of the contents table: not a pack name (those end in .pack). */
export const CONTENTS_PACK = 'contents';

/** A pool, or one client of it (inside the caller's transaction). */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export class PgContentStore implements ContentStore<PackLocation> {
  constructor(
    private readonly pool: pg.Pool,
    readonly kind: ContentKind,
  ) {}

  /** Keeps the bytes (once); on `on`, a client in a transaction, they are kept if that commits. */
  async put(bytes: Buffer, on: Queryable = this.pool): Promise<PackLocation> {
    const ref = { pack: CONTENTS_PACK, offset: 0, sha256: sha256(bytes), size: bytes.length };
    await on.query('INSERT INTO contents (kind, sha256, size, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, sha256) DO NOTHING', [
      this.kind,
      ref.sha256,
      ref.size,
      bytes,
    ]);
    return ref;
  }

  async get(ref: ContentRef, on: Queryable = this.pool): Promise<Buffer> {
    const { rows } = await on.query<{ bytes: Buffer }>('SELECT bytes FROM contents WHERE kind = $1 AND sha256 = $2', [this.kind, ref.sha256]);
    if (!rows.length) throw new ContentError(this.kind, ref.sha256, 'not kept');
    const bytes = rows[0].bytes;
    if (bytes.length !== ref.size || sha256(bytes) !== ref.sha256) throw new ContentError(this.kind, ref.sha256, 'the kept bytes do not match their sha256');
    return bytes;
  }

  async has(sha: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM contents WHERE kind = $1 AND sha256 = $2', [this.kind, sha]);
    return rowCount === 1;
  }

  async erase(sha256s: ReadonlySet<string>): Promise<number> {
    if (!sha256s.size) return 0;
    const { rowCount } = await this.pool.query('DELETE FROM contents WHERE kind = $1 AND sha256 = ANY($2::text[])', [this.kind, [...sha256s]]);
    return rowCount ?? 0;
  }

  close(): void {}
}

/** A database's stores: rows of the contents table, on the database's pool. */
export function pgContentStores(pool: pg.Pool): AppContentStores {
  return { raw: new PgContentStore(pool, 'raw'), attachments: new PgContentStore(pool, 'attachment') };
}
