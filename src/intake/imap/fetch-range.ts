// Fetching by UID, never by UNSEEN: a person may have read a mail in the mailbox before we saw it.
// Listing first (UID and size only) lets the raw fetches come in batches bounded by bytes as well
// as count, so a run of large mails never sits in memory at once.
import type { FetchQueryObject, ImapFlow, SearchObject } from 'imapflow';

export interface ListedMail {
  uid: number;
  size: number;
  /** When the server received it (INTERNALDATE), when it says. */
  arrivedAt?: Date;
}

export interface FetchedMail {
  uid: number;
  raw: Buffer;
}

const LISTING: FetchQueryObject = { uid: true, size: true, internalDate: true };

/** The mails with a UID above `afterUid`, oldest first. */
export async function listMailAfter(client: ImapFlow, afterUid: number): Promise<ListedMail[]> {
  // `N:*` always matches the highest UID, even below N (RFC 3501 9): hence the filter.
  return (await listMail(client, `${afterUid + 1}:*`)).filter((m) => m.uid > afterUid);
}

/** The mails matching a UID range or a search, oldest first. */
export async function listMail(client: ImapFlow, range: string | SearchObject): Promise<ListedMail[]> {
  const found = (await client.fetchAll(range, LISTING, { uid: true })).map((m) => ({
    uid: m.uid,
    size: m.size ?? 0,
    arrivedAt: m.internalDate ? new Date(m.internalDate) : undefined,
  }));
  return found.sort((a, b) => a.uid - b.uid);
}

/** Consecutive groups of at most maxCount mails and (unless one mail alone is bigger) maxBytes. */
export function batchesOf(mails: ListedMail[], maxCount: number, maxBytes: number): ListedMail[][] {
  const batches: ListedMail[][] = [];
  let current: ListedMail[] = [];
  let bytes = 0;
  for (const mail of mails) {
    if (current.length && (current.length >= maxCount || bytes + mail.size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(mail);
    bytes += mail.size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The raw bytes of the given UIDs, oldest first; a mail expunged meanwhile is simply absent. */
export async function fetchRaw(client: ImapFlow, uids: number[]): Promise<FetchedMail[]> {
  const fetched = await client.fetchAll(uids, { uid: true, source: true }, { uid: true });
  return fetched
    .filter((m) => m.source)
    .map((m) => ({ uid: m.uid, raw: m.source as Buffer }))
    .sort((a, b) => a.uid - b.uid);
}
