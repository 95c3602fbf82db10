// How long the last mails took from arriving at the IMAP server (its INTERNALDATE, whole seconds)
// to being stored here: the figure that shows whether IDLE delivers (under a second or two) or
// mail waits for the fallback poll. The last 20 are kept as a setting for `imap status`.
import { inTransaction, type App } from '../../app.ts';
import type { MailboxRow } from '../../store/mailboxes.ts';
import { getSetting, setSetting } from '../../store/settings.ts';

const KEPT = 20;
const key = (mailbox: MailboxRow) => `imap_latency:${mailbox.id}`;

export interface LatencySample {
  arrivedAt: Date;
  storedAt: Date;
}

export interface LatencySummary {
  /** How many of the last mails the figures cover (at most 20). */
  mails: number;
  p50Seconds: number;
  maxSeconds: number;
}

export async function recordLatencies(app: App, mailbox: MailboxRow, samples: LatencySample[]): Promise<void> {
  if (!samples.length) return;
  const seconds = samples.map((s) => Math.max(0, (s.storedAt.getTime() - s.arrivedAt.getTime()) / 1000));
  await inTransaction(app, async (tx) => {
    await setSetting(tx.db, key(mailbox), JSON.stringify([...(await lastLatencies(tx, mailbox)), ...seconds].slice(-KEPT)));
  });
}

/** p50 and max over the last mails; null before the first one. */
export async function latencySummary(app: App, mailbox: MailboxRow): Promise<LatencySummary | null> {
  const seconds = await lastLatencies(app, mailbox);
  if (!seconds.length) return null;
  const sorted = [...seconds].sort((a, b) => a - b);
  const round = (s: number) => Math.round(s * 10) / 10;
  return { mails: sorted.length, p50Seconds: round(sorted[Math.floor((sorted.length - 1) / 2)]), maxSeconds: round(sorted[sorted.length - 1]) };
}

async function lastLatencies(app: App, mailbox: MailboxRow): Promise<number[]> {
  const raw = await getSetting(app.db, key(mailbox));
  return raw ? (JSON.parse(raw) as number[]) : [];
}
