// The content store of a data directory: the pack files (pack-store.ts) behind the ContentStore
// interface, unchanged. A ref is the pack location the rows keep. The packs have no index of their
// own (the rows are it, pack-lookup.ts), so `has` reads the record headers of every pack: a tool's
// question, not the mail path's. Erasing rewrites packs and moves the rows that point into them,
// hence the database's transactions.
import fs from 'node:fs';
import path from 'node:path';
import type { Transactions } from './transactions.ts';
import { ContentError, type AppContentStores, type ContentKind, type ContentStore } from './content-store.ts';
import { eraseFromPacks, type ErasureOutcome } from './pack-compaction.ts';
import { listPackRecords, PackStore, type PackLocation } from './pack-store.ts';

export class PackContentStore implements ContentStore<PackLocation> {
  constructor(
    readonly packs: PackStore,
    readonly kind: ContentKind,
    private readonly transactions: Transactions,
  ) {}

  async put(bytes: Buffer): Promise<PackLocation> {
    return this.packs.append(bytes);
  }

  async get(ref: PackLocation): Promise<Buffer> {
    try {
      return this.packs.read(ref);
    } catch (err) {
      throw new ContentError(this.kind, ref.sha256, (err as Error).message, { cause: err });
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!fs.existsSync(this.packs.dir)) return false;
    return fs
      .readdirSync(this.packs.dir)
      .filter((name) => name.endsWith('.pack'))
      .some((pack) => listPackRecords(this.packs.dir, pack, this.kind).records.some((r) => r.sha256 === sha256));
  }

  async erase(sha256s: ReadonlySet<string>): Promise<number> {
    return (await this.eraseReporting(sha256s)).records;
  }

  /** erase, telling how the packs were changed (rewritten, or zeroed in place under a running writer). */
  eraseReporting(sha256s: ReadonlySet<string>): Promise<ErasureOutcome> {
    return eraseFromPacks(this.transactions, this.packs, this.kind, sha256s);
  }

  close(): void {
    this.packs.close();
  }
}

/** A data directory's stores: the packs of raw/ and attachments/. */
export function packContentStores(dataDir: string, transactions: Transactions): AppContentStores {
  return {
    raw: new PackContentStore(new PackStore(path.join(dataDir, 'raw'), 'raw'), 'raw', transactions),
    attachments: new PackContentStore(new PackStore(path.join(dataDir, 'attachments'), 'attachment'), 'attachment', transactions),
  };
}
