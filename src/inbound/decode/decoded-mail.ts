// What the decode filters read, what they learn and how a decode filter looks: plain data, no
// database and no App, so decoding may run in a worker thread (see ./pool.ts).
import type { ParsedMail } from 'mailparser';
import type { AddressValue } from '../../store/schema.ts';
import type { ContentStore } from '../../store/content-store.ts';
import type { PackLocation } from '../../store/pack-store.ts';

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

/** What the decode filters read: the raw bytes and the limits; no database. */
export interface DecodeInput {
  raw: Buffer;
  limits: { maxMessageBytes: number };
  /** The agents' addresses: mail from them may be a reply that is relayed to a customer (see visible-text). */
  agentAddresses: string[];
}

/**
 * Where a worker thread keeps what it decodes: packs in these folders (its own pack in each), or
 * nowhere, handing the attachments back with the decoded mail (PostgreSQL: see ./hand-back.ts).
 */
export type DecodeStorage = { rawDir: string; attachmentsDir: string } | 'hand-back';

/** What the decode filters keep contents with: the App's stores, a worker's packs, or a hand-back. */
export interface DecodeStores {
  raw: Pick<ContentStore<PackLocation>, 'put'>;
  attachments: Pick<ContentStore<PackLocation>, 'put'>;
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
  /** The attachments' bytes a worker could not keep (storage 'hand-back'): the main thread keeps them. */
  handedBack?: Buffer[];
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
  stores: DecodeStores;
}

/** A step that turns raw bytes into decoded mail: no database, no App, so it may run in a worker. */
export interface DecodeFilter {
  name: string;
  run(ctx: DecodeContext): void | Promise<void>;
}

/** Turns raw mail into decoded mail: in this thread, or in worker threads (pool.ts). */
export interface MailDecoder {
  decode(input: DecodeInput): Promise<DecodedMail>;
  close(): Promise<void>;
}
