// Which files in new/ are complete. A mail delivered the Maildir way (written in tmp/, renamed
// into new/) is complete when it appears; one copied straight into new/ (`cp mail.eml new/`) is
// still being written while the watcher already sees it. Such a file is taken only once it is
// non-empty and its mtime has stood still for the settle time. An empty file is never taken.
import fs from 'node:fs';
import path from 'node:path';
import { isMaildirName } from './folders.ts';

/** Longer than the pauses of a slow writer (a copy over the network, an editor's save). */
export const SETTLE_MS = 1000;
/** An empty file may be a writer that has not begun yet; after this long it is worth a word. */
export const EMPTY_REPORT_MS = 60_000;

export interface MaildirScan {
  /** Complete mails to take now, oldest name first (Maildir names begin with the delivery time). */
  ready: string[];
  /** Files not complete yet (empty ones among them). */
  waiting: string[];
  /** When a waiting non-empty file will have settled, in ms from now; null when none waits so. */
  settlesInMs: number | null;
}

export interface ArrivalsOptions {
  settleMs?: number;
  emptyReportMs?: number;
  /** Told once per file that stays empty past emptyReportMs, or cannot be read as a file. */
  warn?: (message: string) => void;
}

/** Watches new/ across scans: remembers what it has reported, so each file is reported once. */
export class MaildirArrivals {
  private readonly newDir: string;
  private readonly reported = new Set<string>();
  /** Files that cannot be taken (unreadable): left alone until the process restarts. */
  private readonly setAsideNames = new Set<string>();
  private readonly settleMs: number;
  private readonly emptyReportMs: number;

  constructor(
    dir: string,
    private readonly opts: ArrivalsOptions = {},
  ) {
    this.newDir = path.join(dir, 'new');
    this.settleMs = opts.settleMs ?? SETTLE_MS;
    this.emptyReportMs = opts.emptyReportMs ?? EMPTY_REPORT_MS;
  }

  scan(now = Date.now()): MaildirScan {
    const scan: MaildirScan = { ready: [], waiting: [], settlesInMs: null };
    for (const name of fs.readdirSync(this.newDir).sort()) {
      if (name.startsWith('.') || this.setAsideNames.has(name)) continue;
      const stat = fs.statSync(path.join(this.newDir, name), { bigint: true, throwIfNoEntry: false });
      if (!stat) continue; // taken by another reader since the listing
      if (!stat.isFile()) {
        this.reportOnce(name, `${path.join(this.newDir, name)} is not a file; left where it is`);
        continue;
      }
      const mtimeMs = Number(stat.mtimeNs / 1_000_000n);
      if (stat.size === 0n) {
        scan.waiting.push(name);
        if (now - mtimeMs >= this.emptyReportMs) this.reportOnce(name, `${path.join(this.newDir, name)} has been empty for ${Math.round(this.emptyReportMs / 1000)} s; left in new/ until it has content`);
        continue;
      }
      // Renamed in (the rename changed ctime, not mtime) or named by a Maildir deliverer: complete.
      const arrivedWhole = stat.ctimeNs > stat.mtimeNs || isMaildirName(name);
      const settlesIn = mtimeMs + this.settleMs - now;
      if (arrivedWhole || settlesIn <= 0) {
        scan.ready.push(name);
        this.reported.delete(name);
      } else {
        scan.waiting.push(name);
        scan.settlesInMs = Math.min(scan.settlesInMs ?? Infinity, settlesIn);
      }
    }
    return scan;
  }

  /** Leaves a file alone from now on, saying why once. */
  setAside(name: string, why: string): void {
    this.setAsideNames.add(name);
    this.reportOnce(name, why);
  }

  private reportOnce(name: string, message: string): void {
    if (this.reported.has(name)) return;
    this.reported.add(name);
    this.opts.warn?.(message);
  }
}
