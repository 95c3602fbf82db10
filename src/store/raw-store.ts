// The raw mail store: every accepted mail, verbatim, before anything parses it, so it can be re-read,
// retried or audited. Mails are appended to pack files (as Dovecot's mdbox does) rather than written
// one file each: creating a file costs more than parsing the mail. Each thread appends to a pack of
// its own; the message or quarantine row keeps where its mail is (pack, offset, size, sha256).
//
// A record is a header line, the bytes, and a newline:  postdesk-raw <sha256> <size>\n<bytes>\n
// so a pack can be read without the database. A record torn by a crash sits at the end of a pack no
// row points to; the next process appends to a new pack.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { sha256 } from './content-store.ts';

export interface RawLocation {
  /** The pack's file name inside the raw store's folder. */
  pack: string;
  offset: number;
  size: number;
  sha256: string;
}

/** A pack is closed and a new one begun past this size, so no file grows without bound. */
const PACK_LIMIT_BYTES = 256 * 1024 * 1024;
const PACK_NAME = /^[\w-]+\.pack$/;

export class RawStore {
  private fd: number | null = null;
  private pack = '';
  private written = 0;

  constructor(
    readonly dir: string,
    private readonly packLimitBytes = PACK_LIMIT_BYTES,
  ) {}

  /** Appends the mail to this thread's pack and tells where it is. */
  append(bytes: Buffer): RawLocation {
    const hash = sha256(bytes);
    if (this.fd === null || this.written >= this.packLimitBytes) this.startPack();
    const header = Buffer.from(`postdesk-raw ${hash} ${bytes.length}\n`);
    const record = [header, bytes, NEWLINE];
    const length = header.length + bytes.length + 1;
    try {
      if (fs.writevSync(this.fd!, record) !== length) throw new Error(`short write to raw pack ${this.pack}`);
    } catch (err) {
      // The pack may end in a torn record now: nothing points at it, and the next mail starts a new pack.
      this.close();
      throw err;
    }
    const location = { pack: this.pack, offset: this.written + header.length, size: bytes.length, sha256: hash };
    this.written += length;
    return location;
  }

  /** Reads a stored mail back, checking that it is the very bytes that were stored. */
  read(location: Pick<RawLocation, 'pack' | 'offset' | 'size' | 'sha256'>): Buffer {
    if (!PACK_NAME.test(location.pack)) throw new Error(`not a raw pack name: ${location.pack}`);
    const file = this.pathOf(location.pack);
    const bytes = Buffer.alloc(location.size);
    const fd = fs.openSync(file, 'r');
    try {
      const read = fs.readSync(fd, bytes, 0, location.size, location.offset);
      if (read !== location.size) throw new Error(`raw pack ${file} ends before the mail at offset ${location.offset}`);
    } finally {
      fs.closeSync(fd);
    }
    if (sha256(bytes) !== location.sha256) throw new Error(`raw mail at ${file}:${location.offset} does not match its sha256`);
    return bytes;
  }

  pathOf(pack: string): string {
    return path.join(this.dir, pack);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private startPack(): void {
    this.close();
    fs.mkdirSync(this.dir, { recursive: true });
    // Unique across processes and threads, and sorted by the time it was begun.
    this.pack = `${Date.now().toString(36)}-${process.pid}-${threadId}-${crypto.randomBytes(3).toString('hex')}.pack`;
    this.fd = fs.openSync(this.pathOf(this.pack), 'ax');
    this.written = 0;
  }
}

const NEWLINE = Buffer.from('\n');
