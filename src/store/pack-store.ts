// Pack files: the raw mail store (every accepted mail, verbatim, before anything parses it) and the
// attachment store. Contents are appended to packs (as Dovecot's mdbox and git's packs do) rather
// than written one file each: creating a file costs more than parsing the mail. Each thread appends
// to a pack of its own; the row that keeps a content (message, quarantine entry, attachment) keeps
// where it is (pack, offset, size, sha256), and reading it back checks the sha256.
//
// A record is a header line, the bytes, and a newline:  postdesk-<kind> <sha256> <size>\n<bytes>\n
// so a pack can be read without the database. A record torn by a crash sits at the end of a pack no
// row points to; the next process appends to a new pack.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { PRIVATE_DIR, PRIVATE_FILE } from './private-data.ts';

export interface PackLocation {
  /** The pack's file name inside the store's folder. */
  pack: string;
  offset: number;
  size: number;
  sha256: string;
}

export function sha256(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** A pack is closed and a new one begun past this size, so no file grows without bound. */
const PACK_LIMIT_BYTES = 256 * 1024 * 1024;
const PACK_NAME = /^[\w-]+\.pack$/;
/**
 * How many recent contents a store remembers, so that the same bytes appended again (a signature
 * logo in every mail, a mail delivered twice) point at the copy kept already.
 */
const REMEMBERED = 10_000;

export class PackStore {
  private fd: number | null = null;
  private pack = '';
  private written = 0;
  private readonly recent = new Map<string, PackLocation>();

  constructor(
    readonly dir: string,
    /** Names the records: `raw` for mails, `attachment` for attachments. */
    private readonly kind: string,
    private readonly packLimitBytes = PACK_LIMIT_BYTES,
  ) {}

  /** Appends the bytes to this thread's pack (unless it kept the same bytes lately) and tells where they are. */
  append(bytes: Buffer): PackLocation {
    const hash = sha256(bytes);
    const kept = this.recent.get(hash);
    if (kept && this.stillHolds(kept)) return kept;
    if (this.fd === null || this.written >= this.packLimitBytes) this.startPack();
    const header = recordHeader(this.kind, { sha256: hash, size: bytes.length });
    const length = header.length + bytes.length + 1;
    try {
      if (fs.writevSync(this.fd!, [header, bytes, NEWLINE]) !== length) throw new Error(`short write to ${this.kind} pack ${this.pack}`);
    } catch (err) {
      // The pack may end in a torn record now: nothing points at it, and the next append starts a new pack.
      this.close();
      throw err;
    }
    const location = { pack: this.pack, offset: this.written + header.length, size: bytes.length, sha256: hash };
    this.written += length;
    this.remember(location);
    return location;
  }

  /** Reads kept bytes back, checking that they are the very bytes that were kept. */
  read(location: PackLocation): Buffer {
    if (!PACK_NAME.test(location.pack)) throw new Error(`not a ${this.kind} pack name: ${location.pack}`);
    const file = this.pathOf(location.pack);
    const bytes = Buffer.alloc(location.size);
    const fd = fs.openSync(file, 'r');
    try {
      const read = fs.readSync(fd, bytes, 0, location.size, location.offset);
      if (read !== location.size) throw new Error(`${this.kind} pack ${file} ends before offset ${location.offset + location.size}`);
    } finally {
      fs.closeSync(fd);
    }
    if (sha256(bytes) !== location.sha256) throw new Error(`${this.kind} at ${file}:${location.offset} does not match its sha256`);
    return bytes;
  }

  pathOf(pack: string): string {
    return path.join(this.dir, pack);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  /**
   * Whether a remembered record still holds its content: an erasure (customers forget) zeroes the
   * records of a live writer's packs in place, and new mail must not point at what was erased.
   */
  private stillHolds(location: PackLocation): boolean {
    const header = recordHeader(this.kind, location);
    const shaAt = location.offset - header.length + `postdesk-${this.kind} `.length;
    const found = Buffer.alloc(64);
    try {
      const fd = fs.openSync(this.pathOf(location.pack), 'r');
      try {
        fs.readSync(fd, found, 0, 64, shaAt);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      this.recent.delete(location.sha256);
      return false;
    }
    if (found.toString('latin1') === location.sha256) return true;
    this.recent.delete(location.sha256);
    return false;
  }

  private remember(location: PackLocation): void {
    if (this.recent.size >= REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(location.sha256, location);
  }

  private startPack(): void {
    this.close();
    fs.mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
    this.pack = newPackName();
    this.fd = fs.openSync(this.pathOf(this.pack), 'ax', PRIVATE_FILE);
    this.written = 0;
  }
}

const NEWLINE = Buffer.from('\n');

function recordHeader(kind: string, content: Pick<PackLocation, 'sha256' | 'size'>): Buffer {
  return Buffer.from(`postdesk-${kind} ${content.sha256} ${content.size}\n`);
}

/** Unique across processes and threads, sorted by the time it was begun, and naming its writer. */
export function newPackName(): string {
  return `${Date.now().toString(36)}-${process.pid}-${threadId}-${crypto.randomBytes(3).toString('hex')}.pack`;
}

/** The process that wrote a pack (from its name); null for a name not of newPackName's form. */
export function packWriterPid(pack: string): number | null {
  const match = /^[0-9a-z]+-(\d+)-\d+-[0-9a-f]+\.pack$/.exec(pack);
  return match ? Number(match[1]) : null;
}

/** One record of a pack: where its header starts, where its content is, and where the record ends. */
export interface PackRecord extends PackLocation {
  start: number;
  end: number;
}

const HEADER_MAX = 128;

/**
 * The whole records of a pack, read header by header (the contents are skipped, not read). Stops at
 * a torn record, which can only be the last: `tail` is where the whole records end.
 */
export function listPackRecords(dir: string, pack: string, kind: string): { records: PackRecord[]; tail: number; length: number } {
  const fd = fs.openSync(path.join(dir, pack), 'r');
  try {
    const length = fs.fstatSync(fd).size;
    const records: PackRecord[] = [];
    const head = Buffer.alloc(HEADER_MAX);
    let start = 0;
    while (start < length) {
      const read = fs.readSync(fd, head, 0, HEADER_MAX, start);
      const line = head.subarray(0, read).toString('latin1').split('\n', 1)[0];
      const match = new RegExp(`^postdesk-${kind} ([0-9a-f]{64}) (\\d+)$`).exec(line);
      if (!match) break;
      const offset = start + line.length + 1;
      const end = offset + Number(match[2]) + 1;
      if (end > length) break;
      records.push({ pack, start, offset, size: Number(match[2]), sha256: match[1], end });
      start = end;
    }
    return { records, tail: start, length };
  } finally {
    fs.closeSync(fd);
  }
}

/** The two pack stores of a data directory: raw mails and attachments. */
export interface ContentStores {
  raw: PackStore;
  attachments: PackStore;
}

export function openContentStores(folders: { rawDir: string; attachmentsDir: string }): ContentStores {
  return { raw: new PackStore(folders.rawDir, 'raw'), attachments: new PackStore(folders.attachmentsDir, 'attachment') };
}
