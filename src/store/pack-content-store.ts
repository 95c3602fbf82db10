// The content store of a data directory: the pack files (pack-store.ts) behind the ContentStore
// interface, unchanged. A ref is the pack location the rows keep. The packs have no index of their
// own (the rows are it, pack-lookup.ts), so `has` reads the record headers of every pack: a tool's
// question, not the mail path's. Erasing rewrites packs and moves the rows that point into them,
// hence the database's transactions.
import fs from 'node:fs';
import type { Transactions } from './transactions.ts';
import { ContentError, type ContentKind, type ContentStore } from './content-store.ts';
import { eraseFromPacks } from './pack-compaction.ts';
import { listPackRecords, type PackLocation, type PackStore } from './pack-store.ts';

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
    return (await eraseFromPacks(this.transactions, this.packs, this.kind, sha256s)).records;
  }
}
