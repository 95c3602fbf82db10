// Folder names in the configuration use `/` between levels (`Postdesk/Processed`); servers differ
// (Dovecot's Maildir++ uses `.`), so the levels go to imapflow as an array it joins with the
// server's own delimiter.
import type { ImapFlow } from 'imapflow';

export function folderPath(folder: string): string | string[] {
  return folder.toUpperCase() === 'INBOX' ? 'INBOX' : folder.split('/');
}

/** Creates the folder when missing; an existing folder is left as it is. */
export async function ensureFolder(client: ImapFlow, folder: string): Promise<void> {
  if (folder.toUpperCase() === 'INBOX') return;
  await client.mailboxCreate(folderPath(folder));
}
