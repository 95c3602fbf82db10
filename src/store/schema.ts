// Database schema (drizzle-orm, SQLite dialect). Migrations in ./migrations are generated from this
// file with `npm run db:generate` and applied automatically on start.
import { sql } from 'drizzle-orm';
import { sqliteTable, integer, real, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

export const mailboxes = sqliteTable('mailboxes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  address: text('address').notNull(),
  /** IMAP checkpoint: the folder's UIDVALIDITY and the highest UID whose mail is committed. */
  uidValidity: text('uid_validity'),
  lastUid: integer('last_uid'),
  lastSyncAt: timestamp('last_sync_at'),
});

export const CUSTOMER_STAGES = ['prospect', 'new', 'existing'] as const;
export type CustomerStage = (typeof CUSTOMER_STAGES)[number];
export const STAGE_SOURCES = ['config', 'command', 'agent'] as const;

export const customers = sqliteTable('customers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name'),
  vip: integer('vip', { mode: 'boolean' }).notNull().default(false),
  stage: text('stage', { enum: CUSTOMER_STAGES }).notNull().default('new'),
  /** Who fixed the stage (config list, `customers stage`, an agent's `#stage`); null: inferred from the tickets. */
  stageSetBy: text('stage_set_by', { enum: STAGE_SOURCES }),
  language: text('language'),
  createdAt: timestamp('created_at').notNull(),
});

export const agents = sqliteTable('agents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});

export const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_TYPES = ['question', 'complaint'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
/** How a resolved ticket was resolved: by an agent, or by the customer with a suggested FAQ answer. */
export const RESOLUTIONS = ['agent', 'self-served'] as const;

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: integer('number').notNull().unique(),
    subject: text('subject').notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull().default('new'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('normal'),
    mailboxId: integer('mailbox_id').notNull().references(() => mailboxes.id),
    customerId: integer('customer_id').notNull().references(() => customers.id),
    assigneeId: integer('assignee_id').references(() => agents.id),
    /** The ticket this one was split from or points at (reply after the reopen window, foreign tag). */
    linkedTicketId: integer('linked_ticket_id'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    resolvedAt: timestamp('resolved_at'),
    firstResponseAt: timestamp('first_response_at'),
    /** The earliest pending SLA deadline (first/next response or resolution); null when none runs. */
    dueAt: timestamp('due_at'),
    slaPausedAt: timestamp('sla_paused_at'),
    type: text('type', { enum: TICKET_TYPES }).notNull().default('question'),
    /** The customer's stage when the ticket opened, kept for reports. */
    customerStage: text('customer_stage', { enum: CUSTOMER_STAGES }),
    resolution: text('resolution', { enum: RESOLUTIONS }),
    /** The FAQ entry (slug) the customer said solved it, when self-served. */
    selfServedFaq: text('self_served_faq'),
    /** Satisfaction: the last rating (1–5) counts. */
    rating: integer('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamp('rated_at'),
    /** When the follow-up mail is due after resolution; sent once (followUpSentAt). */
    followUpAt: timestamp('follow_up_at'),
    followUpSentAt: timestamp('follow_up_sent_at'),
  },
  (t) => [
    index('tickets_status_due').on(t.status, t.dueAt),
    index('tickets_customer').on(t.customerId),
    // Reports read tickets by the period they were created or resolved in.
    index('tickets_created').on(t.createdAt),
    index('tickets_resolved').on(t.resolvedAt),
    index('tickets_follow_up').on(t.followUpAt).where(sql`follow_up_sent_at IS NULL`),
  ],
);

export const SLA_TARGETS = ['first-response', 'next-response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/**
 * One SLA clock: a target running on a ticket from startedAt until it is met (stoppedAt). Due and
 * warning times move when the clock resumes after a pause; warnedAt/breachedAt make each notice once-only.
 */
export const slaClocks = sqliteTable(
  'sla_clocks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    target: text('target', { enum: SLA_TARGETS }).notNull(),
    /** The policy's target in business milliseconds when set: a priority change re-targets the clock. */
    targetMs: integer('target_ms').notNull().default(0),
    startedAt: timestamp('started_at').notNull(),
    warnAt: timestamp('warn_at').notNull(),
    dueAt: timestamp('due_at').notNull(),
    pausedAt: timestamp('paused_at'),
    stoppedAt: timestamp('stopped_at'),
    warnedAt: timestamp('warned_at'),
    breachedAt: timestamp('breached_at'),
  },
  (t) => [
    index('sla_clocks_ticket').on(t.ticketId, t.target),
    // The tick finds what is due through these partial indexes, never by scanning all clocks.
    index('sla_clocks_warn_pending').on(t.warnAt).where(sql`stopped_at IS NULL AND warned_at IS NULL`),
    index('sla_clocks_breach_pending').on(t.dueAt).where(sql`stopped_at IS NULL AND breached_at IS NULL`),
    index('sla_clocks_stopped').on(t.stoppedAt),
    index('sla_clocks_due').on(t.dueAt),
  ],
);

export const MESSAGE_KINDS = ['customer', 'agent', 'note', 'auto', 'system'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface AddressValue {
  address: string;
  name: string;
}

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    mailboxId: integer('mailbox_id').references(() => mailboxes.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
    /** Without angle brackets; unique, so one mail can never be stored twice. */
    messageId: text('message_id').notNull().unique(),
    inReplyTo: text('in_reply_to'),
    references: json<string[]>('references').notNull().default([]),
    fromAddress: text('from_address').notNull(),
    fromName: text('from_name').notNull().default(''),
    to: json<AddressValue[]>('to').notNull().default([]),
    cc: json<AddressValue[]>('cc').notNull().default([]),
    subject: text('subject').notNull().default(''),
    html: text('html'),
    text: text('text').notNull().default(''),
    visibleText: text('visible_text').notNull().default(''),
    /** auto-reply / bounce / human classification of inbound mail. */
    classification: text('classification').notNull().default('human'),
    rawSha256: text('raw_sha256'),
    /** What a redelivery of the same mail shares (see inbound/filters/normalize.ts); null on mail we sent. */
    contentHash: text('content_hash'),
    rawSize: integer('raw_size'),
    /** Where the raw mail is kept (see store/raw-store.ts). */
    rawPack: text('raw_pack'),
    rawOffset: integer('raw_offset'),
    date: timestamp('date'),
    receivedAt: timestamp('received_at').notNull(),
  },
  (t) => [index('messages_ticket').on(t.ticketId), uniqueIndex('messages_raw').on(t.rawSha256)],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id').notNull().references(() => messages.id),
    sha256: text('sha256').notNull(),
    /** Where the attachment store keeps the content (see store/pack-store.ts). */
    pack: text('pack').notNull().default(''),
    offset: integer('offset').notNull().default(0),
    /** The name it is saved under (inbound/attachment-name.ts). */
    filename: text('filename').notNull(),
    /** The name as the mail gave it, for display; null when it gave none, and for attachments kept before this column. */
    originalFilename: text('original_filename'),
    size: integer('size').notNull(),
    contentType: text('content_type').notNull(),
    contentId: text('content_id'),
    inline: integer('inline', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('attachments_message').on(t.messageId), index('attachments_sha256').on(t.sha256)],
);

/**
 * A mail recognized as a duplicate of a stored message: its own raw bytes (other trace headers, say)
 * stay findable by `postdesk raw`, and the row says which message it repeated.
 */
export const duplicateDeliveries = sqliteTable(
  'duplicate_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: integer('message_id').notNull().references(() => messages.id),
    rawSha256: text('raw_sha256').notNull(),
    rawSize: integer('raw_size').notNull(),
    rawPack: text('raw_pack').notNull(),
    rawOffset: integer('raw_offset').notNull(),
    source: text('source').notNull(),
    mailbox: text('mailbox').notNull(),
    receivedAt: timestamp('received_at').notNull(),
  },
  (t) => [index('duplicate_deliveries_raw').on(t.rawSha256)],
);

export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    type: text('type').notNull(),
    data: json<Record<string, unknown>>('data').notNull().default({}),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('ticket_events_ticket').on(t.ticketId, t.type)],
);

export const quarantine = sqliteTable('quarantine', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  rawSha256: text('raw_sha256').notNull(),
  rawSize: integer('raw_size').notNull(),
  rawPack: text('raw_pack').notNull().default(''),
  rawOffset: integer('raw_offset').notNull().default(0),
  source: text('source').notNull(),
  mailbox: text('mailbox').notNull(),
  reason: text('reason').notNull(),
  status: text('status', { enum: ['held', 'released'] }).notNull().default('held'),
  createdAt: timestamp('created_at').notNull(),
  retriedAt: timestamp('retried_at'),
});

/** `held`: an agent notification past the burst limit, waiting for its digest; `digested`: listed in one. */
export const OUTBOX_STATUSES = ['queued', 'sent', 'failed', 'held', 'digested'] as const;

/** The transactional outbox: each outgoing mail is written with the change that causes it. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').references(() => tickets.id),
    /** Template name (acknowledgement, agent-reply, ...) */
    kind: text('kind').notNull(),
    /** Fixed when queued, so a retry after a crash resends the very same message. */
    messageId: text('message_id').notNull().unique(),
    recipient: text('recipient').notNull(),
    /** The recipient's domain, set by insertOutbox (null in rows older than the column). */
    recipientDomain: text('recipient_domain'),
    /** Everything nodemailer needs to build the mail, without the Message-ID (above). */
    mail: json<Record<string, unknown>>('mail').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at').notNull(),
    sentAt: timestamp('sent_at'),
    /** The worker (workers.id) that claimed the current delivery attempt; its death frees the row at once. */
    claimedBy: text('claimed_by'),
  },
  (t) => [
    // The sender's order (time, then id) from the index alone: PostgreSQL sorted every due row otherwise.
    index('outbox_due').on(t.status, t.nextAttemptAt, t.id),
    index('outbox_recipient').on(t.recipient, t.createdAt),
    // The loop guard counts automatic mails per recipient domain.
    index('outbox_recipient_domain').on(t.recipientDomain, t.createdAt),
    // An agent's earlier notifications of a ticket, read for every notification to thread it.
    index('outbox_ticket_recipient').on(t.ticketId, t.recipient),
    // The claims in flight (one per sender), where the sender looks for those of dead workers.
    index('outbox_claimed').on(t.status, t.claimedBy).where(sql`claimed_by IS NOT NULL`),
  ],
);

/**
 * FAQ entries the search found for a ticket's first message (also those below the suggestion
 * threshold): `faq stats` counts them, `faq gaps` looks for tickets without a good one.
 */
export const faqMatches = sqliteTable(
  'faq_matches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id').notNull().references(() => tickets.id),
    slug: text('slug').notNull(),
    language: text('language').notNull(),
    score: real('score').notNull(),
    rank: integer('rank').notNull(),
    /** Put into the acknowledgement (above the calibrated threshold). */
    suggested: integer('suggested', { mode: 'boolean' }).notNull().default(false),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('faq_matches_ticket').on(t.ticketId), index('faq_matches_slug').on(t.slug, t.createdAt)],
);

/** "Did this answer your question?" by mail from an answer page of the help center. */
export const faqFeedback = sqliteTable(
  'faq_feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    sender: text('sender').notNull(),
    comment: text('comment').notNull().default(''),
    /** The ticket a "No" with a comment opened. */
    ticketId: integer('ticket_id').references(() => tickets.id),
    /** False past the rate limit (one per entry, sender and day): kept, but not counted by `faq stats`. */
    counted: integer('counted', { mode: 'boolean' }).notNull().default(true),
    /** Where the raw mail is kept: a feedback mail is no message, so this row is what finds it. */
    rawSha256: text('raw_sha256'),
    rawSize: integer('raw_size'),
    rawPack: text('raw_pack'),
    rawOffset: integer('raw_offset'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('faq_feedback_slug').on(t.slug, t.createdAt), index('faq_feedback_sender').on(t.sender, t.createdAt), index('faq_feedback_raw').on(t.rawSha256)],
);

/**
 * Every `postdesk run` process that shares this database (several only on PostgreSQL): it renews its
 * heartbeat while it runs, and marks itself stopped when it exits cleanly. One that stopped beating
 * is dead, and what it held (leases, outbox claims) is taken over.
 */
export const workers = sqliteTable('workers', {
  /** host:pid:start time — unique across machines and restarts. */
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at').notNull(),
  heartbeatAt: timestamp('heartbeat_at').notNull(),
  stoppedAt: timestamp('stopped_at'),
});

/** Work that one worker at a time may do (an IMAP mailbox's intake): held until expiresAt unless renewed. */
export const leases = sqliteTable('leases', {
  /** What is held, e.g. `imap:support`. */
  name: text('name').primaryKey(),
  workerId: text('worker_id').notNull(),
  acquiredAt: timestamp('acquired_at').notNull(),
  expiresAt: timestamp('expires_at').notNull(),
});

/** The last period of each periodic job (SLA tick, follow-ups, weekly report) that a worker claimed: one run per period. */
export const periodicRuns = sqliteTable('periodic_runs', {
  name: text('name').primaryKey(),
  /** The period's number: its start in milliseconds divided by the job's interval. */
  period: integer('period').notNull(),
  workerId: text('worker_id').notNull(),
  startedAt: timestamp('started_at').notNull(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * What was done to a person's data rather than to a ticket (a customer's data erased on request): who
 * did it and when. `pending` lists the kept contents still to be removed from the packs, so that an
 * erasure cut short is finished by the next one.
 */
export const auditEvents = sqliteTable('audit_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  type: text('type').notNull(),
  actor: text('actor').notNull(),
  data: json<Record<string, unknown>>('data').notNull().default({}),
  pending: json<PendingErasure>('pending'),
  createdAt: timestamp('created_at').notNull(),
});

/** Contents (by sha256) and copies of sent mail (by Message-ID) an erasure still has to remove from disk. */
export interface PendingErasure {
  raw: string[];
  attachments: string[];
  sentMessageIds: string[];
}
