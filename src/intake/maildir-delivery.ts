// Writes one mail into a Maildir the way MTAs do: into tmp/, fsync, rename into new/, fsync new/.
// A reader of new/ never sees half a mail, and once this returns the mail survives a power loss.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PRIVATE_FILE } from '../store/private-data.ts';
import { ensureMaildir } from './maildir/folders.ts';

/** Delivers raw into the Maildir dir (creating it, private to its owner) and returns the file in new/. */
export function deliverToMaildir(dir: string, raw: Buffer): string {
  ensureMaildir(dir);
  const name = uniqueName();
  const tmp = path.join(dir, 'tmp', name);
  const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE);
  try {
    fs.writeFileSync(fd, raw);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  const delivered = path.join(dir, 'new', name);
  fs.renameSync(tmp, delivered);
  syncDirectory(path.join(dir, 'new'));
  return delivered;
}

/**
 * `seconds.MmicrosecondsPpid_random.host`: unique across processes and hosts, and sorting by name is
 * the order of delivery (the intake reads new/ in name order, so a reply follows what it answers).
 */
function uniqueName(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const seconds = Math.floor(micros / 1e6);
  const fraction = String(micros % 1e6).padStart(6, '0');
  // The Maildir convention for the two characters a name must not contain.
  const host = os.hostname().replaceAll('/', '\\057').replaceAll(':', '\\072');
  return `${seconds}.M${fraction}P${process.pid}_${crypto.randomBytes(4).toString('hex')}.${host}`;
}

/** Makes the rename itself durable. */
function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
