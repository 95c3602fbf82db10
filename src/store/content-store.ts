// Content-addressed file store, one file per content: <dir>/ab/abcdef…. Attachments live here; raw
// mails go to packs (./raw-store.ts), because creating a file costs more than parsing a mail.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

export function sha256(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Numbers the temporary files of this thread; with the process and thread id, the name is unique. */
let tempFiles = 0;

export class ContentStore {
  /** Fan-out folders known to exist, so storing an attachment costs no mkdir call. */
  private readonly folders = new Set<string>();

  constructor(readonly dir: string) {}

  pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  /** Stores bytes under their sha256 (idempotent; temp file + rename, so no torn file is ever visible). */
  put(bytes: Buffer): string {
    const hash = sha256(bytes);
    // Stored already or not, the bytes are the same: replacing the file costs less than asking first.
    const target = this.pathOf(hash);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const temp = `${target}.${process.pid}.${threadId}.${++tempFiles}.tmp`;
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, target);
    return hash;
  }

  get(hash: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256: ${hash}`);
    return fs.readFileSync(this.pathOf(hash));
  }
}
