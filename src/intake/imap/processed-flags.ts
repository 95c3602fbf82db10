// What `afterStore: flag` marks a stored mail with, and whether the server keeps that mark.
/** What `afterStore: flag` sets; `\Seen` too, as a person reading the mailbox expects. */
export const PROCESSED_FLAGS = ['\\Seen', '$Postdesk'];

/**
 * Why `afterStore: flag` cannot work fully in a folder, or null when it can. A server keeps only the
 * keywords its PERMANENTFLAGS name (or all, with `\*`); imapflow leaves any other out of a STORE
 * and reports success, so the mail gets \Seen but not $Postdesk, and backfill, which skips mail
 * with $Postdesk, reads it all again (stored as duplicates: nothing is lost, much is repeated).
 */
export function unkeptKeywordWarning(mailboxName: string, folder: string, permanentFlags: Set<string> | undefined): string | null {
  if (!permanentFlags || permanentFlags.has('\\*') || permanentFlags.has(PROCESSED_FLAGS[1])) return null;
  return `mailbox ${mailboxName}: the server keeps no ${PROCESSED_FLAGS[1]} keyword in ${folder} (PERMANENTFLAGS ${[...permanentFlags].join(' ') || 'none'}); processed mail gets only \\Seen, and imap backfill cannot tell it from new mail (it stores it again as duplicates). Set afterStore to "move", or allow keywords on the server`;
}
