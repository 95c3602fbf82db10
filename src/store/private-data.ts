// Private by default: the data directory holds customers' mail, so it and everything in it is its
// owner's only. Postdesk creates its files and folders with these modes whatever the umask, and a
// data directory found open to others (left so by an older version, a copy or a restore) is tightened.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;
const GROUP_AND_OTHERS = 0o077;
/** The folders Postdesk writes in the data directory: raw and attachment packs, the Maildir inbox, sent copies. */
const OWN_FOLDERS = new Set(['raw', 'attachments', 'inbox', 'outbox-sent']);

/**
 * Tightens the data directory (made by ensureDataDir) when it is open to group or others, and returns
 * the warning to log. Only the directory's own mode is checked at each start, which costs nothing;
 * its contents are walked once, when it is found open. It is closed last, so an interrupted walk
 * is done again at the next start. Postdesk's own folders are walked whole; other folders someone
 * put there only lose their own group and other permissions, as the directory may be misplaced
 * (a home or project directory) and their contents are unreachable through it anyway.
 */
export function ensurePrivateDataDir(dir: string): string | null {
  const mode = fs.statSync(dir).mode & 0o777;
  if (!(mode & GROUP_AND_OTHERS)) return null;
  try {
    tighten(dir, (name) => OWN_FOLDERS.has(name));
    fs.chmodSync(dir, mode & ~GROUP_AND_OTHERS);
  } catch (err) {
    throw new Error(`data directory ${dir} is open to group or others (mode ${mode.toString(8)}) and cannot be made private (run Postdesk as its owner): ${(err as Error).message}`);
  }
  return `data directory ${dir} was open to group or others (mode ${mode.toString(8)}); tightened to owner only (directories 0700, files 0600)`;
}

/** Takes group and others' permissions off what dir holds, and off what is in the folders to walk. */
function tighten(dir: string, walk: (folder: string) => boolean): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    // chmod would follow a link out of the data directory.
    if (entry.isSymbolicLink()) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && walk(entry.name)) tighten(file, () => true);
    const mode = fs.lstatSync(file).mode & 0o777;
    if (mode & GROUP_AND_OTHERS) fs.chmodSync(file, mode & ~GROUP_AND_OTHERS);
  }
}
