// What travels through the inbound pipeline: the raw mail, then what each filter learns about it.
import type { App } from '../app.ts';
import type { MailboxRow } from '../store/mailboxes.ts';
import type { MessageKind } from '../store/schema.ts';
import type { TicketRow } from '../store/tickets.ts';
import type { RatingReply } from '../satisfaction/rating-reply.ts';
import type { DecodeContext } from './decode/decoded-mail.ts';
import type { IngestResult } from './ingest-result.ts';

// The pipeline's filters take these from here, beside their context; the decode filters, which must
// not reach App, from ./filter-failures.ts.
export { QuarantineMail, required } from './filter-failures.ts';

export interface IncomingMail {
  /** Where the mail came from, for logs and --json output: a file path, `stdin`, `imap:<mailbox>/<uid>`. */
  source: string;
  mailbox: MailboxRow;
  raw: Buffer;
  receivedAt: Date;
  /** Backfill imports history: store it, but do not acknowledge or notify. */
  quiet?: boolean;
}

export interface SenderIdentity {
  role: 'customer' | 'agent';
  customerId?: number;
  agentId?: number;
}

/**
 * Why a new ticket points at an older one: its sender is not a participant of the ticket the mail
 * names (by References/In-Reply-To or subject tag), or the reply came after the reopen window.
 */
export type LinkReason = 'not-a-participant' | 'after-reopen-window';

export interface ThreadDecision {
  action: 'create' | 'append';
  ticket?: TicketRow;
  /** A new ticket that refers to an older one. */
  linkedTo?: TicketRow;
  linkReason?: LinkReason;
  reopen?: boolean;
  /** A satisfaction rating of the resolved ticket it is appended to: never reopens it (see filters/record-rating.ts). */
  rating?: RatingReply;
  /** How the mail named its ticket (the one it is appended to, or the one a new ticket is linked to). */
  matchedBy?: 'references' | 'subject-tag';
}

/** An FAQ entry the search found for a new ticket: suggested to the customer, or shown to the agents only. */
export interface FaqMatchView {
  slug: string;
  question: string;
  /** Confidence 0..1 (see src/search/suggest.ts). */
  score: number;
  suggested: boolean;
  /** Two lines from the beginning of the answer. */
  excerpt: string;
  /** On the help center; empty without helpUrl. */
  url: string;
  /** mailto: link whose mail says this answer solved the ticket. */
  solvedLink: string;
}

export interface MailContext extends IncomingMail, DecodeContext {
  app: App;
  sender?: SenderIdentity;
  /** The kind the stored message gets (customer, agent reply, internal note, ...). */
  messageKind?: MessageKind;
  thread?: ThreadDecision;
  ticket?: TicketRow;
  storedMessageId?: number;
  /** The complaint words found in a new ticket's first mail (see filters/detect-complaint.ts). */
  complaint?: { matched: string[] };
  /** The mail's Message-ID was already taken by a different mail, first seen in that ticket. */
  reusedMessageId?: { messageId: string; firstSeenIn: number | null };
  /** FAQ entries found for a new ticket, best first (suggest-answers). */
  faqMatches?: FaqMatchView[];
  /** A help-center "No" with a comment: the feedback row the new ticket is linked to. */
  faqFeedback?: { id: number; slug: string };
  /** Set by the filter that decides the outcome; the pipeline stops at the first result. */
  result?: IngestResult;
}

/** A step before the database transaction (after decoding): may read the store, may be async. */
export interface PrepareFilter {
  name: string;
  run(ctx: MailContext): void | Promise<void>;
}

/**
 * A step inside the one database transaction of a mail: `ctx.app.db` is the transaction's handle.
 * It may await the store, never the network (that would hold the write lock, see store/transactions.ts).
 */
export interface CommitFilter {
  name: string;
  run(ctx: MailContext): void | Promise<void>;
}
