// The Maildir layout (new/, cur/, tmp/) and its file names.
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR } from '../../store/private-data.ts';

/** Creates the three folders, private to the owner: they hold customers' mail. */
export function ensureMaildir(dir: string): void {
  for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: PRIVATE_DIR });
}

/** Fails with a clear message when dir has no new/ folder. */
export function assertMaildir(dir: string): void {
  if (!fs.statSync(path.join(dir, 'new'), { throwIfNoEntry: false })?.isDirectory()) throw new NotAMaildir(`${dir} is not a Maildir (no new/ folder)`);
}

export class NotAMaildir extends Error {}

/**
 * A Maildir unique name, `<time>.<unique>.<host>[:2,<flags>]`: what deliverers give a mail they
 * wrote in tmp/ and then renamed into new/, so it is complete as soon as it is seen.
 */
export function isMaildirName(name: string): boolean {
  return /^\d+\.[^.\s]+\.[^\s]+$/.test(name);
}

/** The name a taken mail gets in cur/: seen (S), as mail clients mark what they read. */
export function curName(name: string): string {
  return `${name.split(':')[0]}:2,S`;
}

/** True for the errors that mean another reader took (or moved) the file first. */
export function takenByAnotherReader(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}
