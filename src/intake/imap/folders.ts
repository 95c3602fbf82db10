// Folder names in the configuration use `/` between levels (`Postdesk/Processed`). Servers differ:
// the delimiter is `/` or `.`, and some keep personal folders under a prefix (Cyrus, Courier:
// `INBOX.`), so a name becomes the server's path with the delimiter its LIST reports and its
// NAMESPACE prefix.
// Folders are looked up before they are created, and a failed CREATE is checked again with LIST:
// servers word "already exists" differently (Cyrus leaves out [ALREADYEXISTS], the only form
// imapflow tolerates), and a folder that exists must never break a session.
import type { ImapFlow, ListResponse } from 'imapflow';
import type { ImapConfig } from '../../config/schema.ts';
import { describeError } from './connection-state.ts';

type Folders = Pick<ImapFlow, 'list' | 'mailboxCreate'> & { namespace?: { prefix?: string; delimiter?: string } | false };

/** The path for imapflow to join with the server's delimiter (for the watched folder and tests). */
export function folderPath(folder: string): string | string[] {
  return isInbox(folder) ? 'INBOX' : folder.split('/');
}

/** The folder's full path on this server, given its LIST answer. */
export function serverPath(client: Folders, listed: ListResponse[], folder: string): string {
  if (isInbox(folder)) return 'INBOX';
  const namespace = client.namespace || {};
  const delimiter = listed.find((f) => f.delimiter)?.delimiter ?? namespace.delimiter ?? '/';
  const path = folder.split('/').join(delimiter);
  const prefix = namespace.prefix ?? '';
  return prefix && !path.startsWith(prefix) ? prefix + path : path;
}

/** Makes sure each folder exists; returns their paths on the server, in the same order. */
export async function ensureFolders(client: Folders, folders: string[]): Promise<string[]> {
  let listed = await client.list();
  const paths = folders.map((f) => serverPath(client, listed, f));
  for (const [i, path] of paths.entries()) {
    if (path === 'INBOX' || exists(listed, path)) continue;
    try {
      await client.mailboxCreate(path);
    } catch (err) {
      // Another session created it meanwhile, or the server refused in words of its own.
      listed = await client.list();
      if (!exists(listed, path)) throw new Error(`cannot create folder ${folders[i]} (${path}): ${describeError(err)}`);
    }
  }
  return paths;
}

/** Makes sure the folder exists; returns its path on the server. */
export async function ensureFolder(client: Folders, folder: string): Promise<string> {
  return (await ensureFolders(client, [folder]))[0];
}

function exists(listed: ListResponse[], path: string): boolean {
  return listed.some((f) => f.path === path && !f.flags.has('\\NonExistent'));
}

function isInbox(folder: string): boolean {
  return folder.toUpperCase() === 'INBOX';
}

/** The settle folders' paths on the server; no processed folder when mail is only flagged. */
export interface SettleFolders {
  processed?: string;
  failed: string;
}

export async function ensureSettleFolders(client: ImapFlow, imap: ImapConfig): Promise<SettleFolders> {
  const moving = imap.afterStore === 'move';
  const [failed, processed] = await ensureFolders(client, moving ? [imap.failedFolder, imap.processedFolder] : [imap.failedFolder]);
  return { failed, processed };
}
