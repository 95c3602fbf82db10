// What a content store offers: the raw mails (quarantined ones included: a held mail's bytes are a
// raw content like any other) and the attachments, each kept by its sha256. Two implementations:
// the pack files of the data directory (pack-content-store.ts, SQLite installations) and a table of
// PostgreSQL (pg/content-store.ts), which every worker on every machine reaches.
//
// The operations are the ones the pack store serves today:
// - put: keep-raw (in the decode worker threads), save-attachments, and the pipeline's fallback that
//   keeps a mail's bytes for quarantine when decoding kept nothing. The same bytes put twice are kept
//   once. The ref it returns is what a row keeps (a pack location for packs, sha256 + size for PG).
// - get: `raw`, `attachment`, quarantine retry, a customer's export (one content at a time) and the
//   quarantine scan of privacy holdings. It checks the bytes against the sha256; an error names it.
// - has: whether a content is kept, by sha256 alone (a resumed `db copy` skips what it copied).
// - erase: customers forget, for contents no row needs any more (the caller's promise, as today).
// Nothing iterates a store: every reader starts from a row, and compaction is the packs' own affair.
//
// The App holds one of each kind (src/app.ts): the packs with SQLite, the table with PostgreSQL, so that
// nothing a second machine needs stays on one machine's disk. Their refs have one shape, the pack
// location the rows keep (on PostgreSQL the pack names the table; see pg/content-store.ts).
import type { PackLocation } from './pack-store.ts';

export type ContentKind = 'raw' | 'attachment';

/** What any store's ref holds: enough to name the content and check it. */
export interface ContentRef {
  sha256: string;
  size: number;
}

export interface ContentStore<Ref extends ContentRef = ContentRef> {
  readonly kind: ContentKind;
  put(bytes: Buffer): Promise<Ref>;
  /** The bytes, checked against ref.sha256; a content missing or changed is a ContentError. */
  get(ref: Ref): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** Removes every copy of these contents; returns how many copies (pack records, rows) went. */
  erase(sha256s: ReadonlySet<string>): Promise<number>;
  /** Lets go of what the store holds open (a pack's descriptor); a pool is the database's to close. */
  close(): void;
}

/** The App's two stores: raw mails (quarantined ones too) and attachments. */
export interface AppContentStores {
  raw: ContentStore<PackLocation>;
  attachments: ContentStore<PackLocation>;
}

/** A kept content that cannot be given back as it was kept; the message names its sha256. */
export class ContentError extends Error {
  constructor(
    readonly kind: ContentKind,
    readonly sha256: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${kind} ${sha256}: ${problem}`, options);
  }
}

