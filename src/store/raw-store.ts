// Content-addressed store of raw mail bytes: <dir>/ab/abcdef….eml. Written before anything parses
// the mail, so every accepted mail can be re-read, retried or audited.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sha256(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export class ContentStore {
  /** Fan-out folders known to exist, so storing a mail costs no mkdir call. */
  private readonly folders = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly extension: string,
  ) {}

  pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), `${hash}${this.extension}`);
  }

  /**
   * Stores bytes under their sha256 (idempotent; temp file + rename, so no torn file is ever visible).
   * A caller that has computed the hash already passes it in.
   */
  put(bytes: Buffer, hash = sha256(bytes)): string {
    const target = this.pathOf(hash);
    if (fs.existsSync(target)) return hash;
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const temp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, target);
    return hash;
  }

  get(hash: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256: ${hash}`);
    return fs.readFileSync(this.pathOf(hash));
  }
}
