// What travels through the inbound pipeline: the raw mail, then what each filter learns about it.
import type { ParsedMail } from 'mailparser';
import type { App } from '../app.ts';
import type { MailboxRow } from '../store/mailboxes.ts';
import type { AddressValue, MessageKind } from '../store/schema.ts';
import type { TicketRow } from '../store/tickets.ts';
import type { ContentStores, PackLocation } from '../store/pack-store.ts';
import type { RatingReply } from '../satisfaction/rating-reply.ts';

/** `feedback`: a help-center Yes/No mail, recorded on its FAQ entry without a ticket. */
export type IngestStatus = 'created' | 'appended' | 'duplicate' | 'quarantined' | 'feedback';

export interface IngestResult {
  source: string;
  status: IngestStatus;
  ticket: number | null;
  reason?: string;
  /** The stored message (row id) this mail repeats, when a duplicate. */
  duplicateOf?: number;
  /** Quarantine row id, when quarantined. */
  quarantineId?: number;
}

export interface IncomingMail {
  /** Where the mail came from, for logs and --json output: a file path, `stdin`, `imap:<mailbox>/<uid>`. */
  source: string;
  mailbox: MailboxRow;
  raw: Buffer;
  receivedAt: Date;
  /** Backfill imports history: store it, but do not acknowledge or notify. */
  quiet?: boolean;
}

export interface SavedAttachment {
  /** Where the attachment store keeps the content (its sha256 among it). */
  location: PackLocation;
  /** The name it is saved under; the name as sent is kept beside it for display. */
  filename: string;
  originalFilename: string | null;
  contentType: string;
  contentId: string | null;
  inline: boolean;
}

/** Header-level facts about the mail, decoded and normalized. */
export interface NormalizedMail {
  messageId: string;
  /** Transport-independent: the same mail delivered by another path has the same hash. */
  contentHash: string;
  inReplyTo: string | null;
  references: string[];
  from: AddressValue;
  replyTo: AddressValue[];
  to: AddressValue[];
  cc: AddressValue[];
  subject: string;
  date: Date | null;
  headers: Map<string, string[]>;
}

export type MailClass = 'human' | 'autoreply' | 'bounce' | 'list' | 'loop';

export interface Classification {
  kind: MailClass;
  /** Why it is not plain human mail (header names and values): recorded on the ticket event. */
  reasons: string[];
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

/** What the decode filters read: the raw bytes, the limits and where to keep files; no database. */
export interface DecodeInput {
  raw: Buffer;
  limits: { maxMessageBytes: number };
  /** The agents' addresses: mail from them may be a reply that is relayed to a customer (see visible-text). */
  agentAddresses: string[];
  /** Folders of the content stores; a worker thread opens its own stores on them. */
  storage: { rawDir: string; attachmentsDir: string };
}

/** What the decode filters learn; plain data, so it can come back from a worker thread. */
export interface DecodedMail {
  /** Where keep-raw stored the mail, and its sha256 (hashed in the decoding thread, not the committing one). */
  rawLocation: PackLocation;
  mail: NormalizedMail;
  /** Sanitized HTML body, or null when the mail has none. */
  html: string | null;
  text: string;
  /** The reply without quoted history and signature. */
  visibleText: string;
  attachments: SavedAttachment[];
  classification: Classification;
}

export interface DecodeContext extends Partial<DecodedMail> {
  /** mailparser's result: only the decode filters read it; it does not leave the worker. */
  parsed?: ParsedMail;
  raw: Buffer;
  /** What mailparser reads when it is not the raw mail: a copy with its 8-bit headers in UTF-8 (see eight-bit-headers). */
  parserInput?: Buffer;
  limits: DecodeInput['limits'];
  agentAddresses: string[];
  /** Where the decode filters keep the raw mail and the attachments. */
  stores: ContentStores;
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

/** Thrown by a filter when the mail cannot be processed: it goes to quarantine with this reason. */
export class QuarantineMail extends Error {
  constructor(
    message: string,
    /** Where keep-raw put the mail already, when it got that far: quarantine points there. */
    readonly rawLocation?: PackLocation,
  ) {
    super(message);
  }
}

/** A step that turns raw bytes into decoded mail: no database, no App, so it may run in a worker. */
export interface DecodeFilter {
  name: string;
  run(ctx: DecodeContext): void | Promise<void>;
}

/** A step before the database transaction (after decoding): may read the store, may be async. */
export interface PrepareFilter {
  name: string;
  run(ctx: MailContext): void | Promise<void>;
}

/**
 * A step inside the one database transaction of a mail. On SQLite it must finish synchronously (the
 * runner refuses a promise, see store/transactions.ts); a database whose runner awaits may take one.
 */
export interface CommitFilter {
  name: string;
  run(ctx: MailContext): void | Promise<void>;
}

export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`pipeline order: ${what} is not set yet`);
  return value;
}
