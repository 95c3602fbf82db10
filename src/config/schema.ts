// The configuration schema: one zod object per concern, composed into the whole file's shape.
import { z } from 'zod';
import { PRIORITIES, TICKET_TYPES } from '../store/schema.ts';
import { isLoopbackHost } from './loopback.ts';
import { SUGGESTION_THRESHOLD } from '../search/suggest.ts';

/** The embedded default when nothing is configured: one mailbox fed from the local Maildir. */
export const DEFAULT_MAILBOX = { name: 'support', address: 'support@example.com' };

/** A secret given inline, or as a reference to an environment variable: `{ "env": "IMAP_PASSWORD" }`. */
export const secretSchema = z.union([z.string(), z.object({ env: z.string().min(1) }).strict()]);

const emailSchema = z.string().trim().toLowerCase().pipe(z.email());

/** setTimeout's limit (2^31-1 ms, about 24.8 days): a longer interval would fire at once, again and again. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** An interval or timeout in seconds, as a timer runs it. */
const seconds = () => z.number().positive().max(MAX_TIMER_SECONDS);
/** A target or window in hours: more than a year is a typo, and far beyond it dates stop existing. */
const hours = () => z.number().positive().max(366 * 24);

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** An IANA time zone name, checked the way mails and reports use it (Intl), so a wrong one fails at load. */
const timeZoneSchema = z.string().refine(isTimeZone, { error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}` });

/**
 * Whose certificates a TLS connection trusts: the system's CAs, plus those of a PEM file (`ca`), e.g.
 * a local MTA's self-signed certificate. Not checking at all (`rejectUnauthorized: false`) is for a
 * loopback host only.
 */
const tlsTrust = {
  ca: z.string().min(1).optional(),
  rejectUnauthorized: z.boolean().default(true),
};

/** The rules that keep a connection off the network unless TLS protects it with a checked certificate. */
function loopbackOnly(section: { host: string; rejectUnauthorized: boolean; tls?: string }, ctx: z.RefinementCtx): void {
  if (isLoopbackHost(section.host)) return;
  if (!section.rejectUnauthorized) {
    ctx.addIssue({ code: 'custom', path: ['rejectUnauthorized'], message: `false is only allowed for a loopback host, not ${section.host} (trust its certificate with ca instead)` });
  }
  if (section.tls === 'none') ctx.addIssue({ code: 'custom', path: ['tls'], message: `"none" is only allowed for a loopback host, not ${section.host}` });
}

export const imapSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    /** implicit = TLS from the first byte (993); starttls = upgrade on 143; none = plain, for loopback only. */
    tls: z.enum(['implicit', 'starttls', 'none']).default('implicit'),
    user: z.string().min(1),
    password: secretSchema,
    folder: z.string().min(1).default('INBOX'),
    /** After a mail is stored: move it to a folder, or only flag it \Seen + $Postdesk. */
    afterStore: z.enum(['move', 'flag']).default('move'),
    processedFolder: z.string().min(1).default('Postdesk/Processed'),
    failedFolder: z.string().min(1).default('Postdesk/Failed'),
    pollIntervalSeconds: seconds().default(60),
    /** The poll interval instead, once IDLE has been seen not to announce new mail. */
    idleFallbackSeconds: seconds().default(15),
    reconcileIntervalSeconds: seconds().default(600),
    ...tlsTrust,
  })
  .strict()
  .superRefine(loopbackOnly);

export const mailboxSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash, underscore'),
    address: emailSchema,
    imap: imapSchema.optional(),
    /** Liquid template appended to every human reply sent from this mailbox (brand signature); also signs its acknowledgements. */
    signature: z.string().optional(),
    /** The name customers see: From of machine mail, the acknowledgement's sign-off. Absent: the name, capitalised. */
    displayName: z.string().trim().min(1).optional(),
    /** Times in this mailbox's mail to customers whose own zone is unknown. Absent: the top-level timeZone. */
    timeZone: timeZoneSchema.optional(),
  })
  .strict();

export const agentSchema = z
  .object({
    name: z.string().min(1),
    email: emailSchema,
    title: z.string().optional(),
    /** Liquid template of this agent's Postdesk signature; the mailbox signature applies when absent. */
    signature: z.string().optional(),
    lead: z.boolean().default(false),
  })
  .strict();

export const smtpSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().default(false),
    user: z.string().optional(),
    password: secretSchema.optional(),
    pool: z.boolean().default(true),
    ...tlsTrust,
  })
  .strict()
  .superRefine(loopbackOnly);

/**
 * The database: absent, SQLite in the data directory. `url` names a PostgreSQL database
 * (`postgres://user:password@host:5432/db`); it holds a password, so `{ "env": "NAME" }` may give it.
 * TLS as for mail servers: required, with a checked certificate, except on a loopback host, where
 * plain is the default (a database on the same machine seldom has a certificate).
 */
export const databaseSchema = z
  .object({
    url: secretSchema,
    /** require = TLS, the certificate checked; none = plain, for a loopback host only (its default there). */
    tls: z.enum(['require', 'none']).optional(),
    /** Connections this process opens at most (each worker counts against the server's max_connections). */
    maxConnections: z.number().int().min(3).max(1000).default(14),
    ...tlsTrust,
  })
  .strict();

export const ticketsSchema = z
  .object({
    startNumber: z.number().int().min(1).default(1000),
    /** Subject tag format; `{number}` is replaced by the ticket number. */
    subjectTag: z
      .string()
      .refine((s) => s.includes('{number}') && !/[\r\n]/.test(s), 'must contain {number} and no line break')
      .default('[#{number}]'),
    reopenWindowDays: z.number().nonnegative().max(3660).default(30),
  })
  .strict();

export const ingestSchema = z
  .object({
    maxMessageBytes: z.number().int().positive().default(25 * 1024 * 1024),
    /** Worker threads that parse mail while the main thread commits; unset: CPU cores - 1 (1 to 4); 0: parse in the main thread. */
    decodeWorkers: z.number().int().min(0).max(16).optional(),
    /** A mail whose parsing takes longer is quarantined, so one pathological mail cannot stall intake. */
    decodeTimeoutSeconds: seconds().default(60),
    /** A decode worker's JavaScript heap; a mail that needs more is quarantined, so one mail cannot exhaust the machine. */
    decodeMemoryMB: z.number().int().min(32).default(256),
  })
  .strict();

export const outboundSchema = z
  .object({
    /** Admin override directory: a file there (e.g. `en/acknowledgement.liquid`) replaces the built-in one. */
    templatesDir: z.string().optional(),
    /** Transient failures (connection errors, 4xx) are retried with exponential backoff for this long. */
    retryHours: hours().default(48),
    senderIntervalSeconds: seconds().default(2),
    /** The promise in the acknowledgement when no SLA due time is set on the ticket. */
    replyWithinHours: hours().default(24),
    /** Loop guard: at most this many automatic mails (acknowledgements) per recipient per hour (`+tag` and case ignored). */
    maxAutoMailsPerHour: z.number().int().nonnegative().default(5),
    /** Loop guard: at most this many per recipient domain per hour (a robot writing from ever new addresses). */
    maxAutoMailsPerDomainPerHour: z.number().int().nonnegative().default(30),
    /** Agent notifications: past this many to one agent within the window, further ones wait for one digest. */
    maxAgentNotificationsPerWindow: z.number().int().positive().default(20),
    agentNotificationWindowSeconds: seconds().default(15 * 60),
  })
  .strict();

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clockTime = /([01]\d|2[0-3]):[0-5]\d/.source;

/** "09:00-17:30": one opening interval of a business day in the calendar's local time. */
const openingHoursSchema = z
  .string()
  .regex(new RegExp(`^${clockTime}-(${clockTime}|24:00)$`), 'HH:MM-HH:MM')
  .refine((s) => s.slice(0, 5) < s.slice(6), 'opening must be before closing');

export const businessCalendarSchema = z
  .object({
    timeZone: timeZoneSchema,
    hours: z
      .object({
        mon: z.array(openingHoursSchema).default([]),
        tue: z.array(openingHoursSchema).default([]),
        wed: z.array(openingHoursSchema).default([]),
        thu: z.array(openingHoursSchema).default([]),
        fri: z.array(openingHoursSchema).default([]),
        sat: z.array(openingHoursSchema).default([]),
        sun: z.array(openingHoursSchema).default([]),
      })
      .strict()
      .refine((h) => Object.values(h).some((day) => day.length > 0), 'needs opening hours on at least one weekday'),
    /** Local dates (YYYY-MM-DD) on which the clock does not run. */
    holidays: z.array(z.iso.date()).default([]),
  })
  .strict();

export const slaPolicySchema = z
  .object({
    /** Which tickets the policy covers: every condition given must hold; the first matching policy wins. */
    mailbox: z.string().optional(),
    priority: z.enum(PRIORITIES).optional(),
    vip: z.boolean().optional(),
    type: z.enum(TICKET_TYPES).optional(),
    firstResponseHours: hours().default(24),
    /** Runs again after each customer reply that waits for an answer. */
    nextResponseHours: hours().default(24),
    resolutionHours: hours().optional(),
    /** A name from sla.calendars: the targets then count business time only. Absent: 24×7. */
    calendar: z.string().optional(),
  })
  .strict();

export const reportScheduleSchema = z
  .object({
    /** The weekly report is mailed to the leads at this local time (top-level timeZone). */
    weekday: z.enum(WEEKDAYS).default('mon'),
    time: z.string().regex(new RegExp(`^${clockTime}$`), 'HH:MM').default('08:00'),
  })
  .strict();

export const slaSchema = z
  .object({
    /** Share of a target after which the warning goes out. */
    warningShare: z.number().gt(0).lt(1).default(0.75),
    tickIntervalSeconds: seconds().default(60),
    calendars: z.record(z.string(), businessCalendarSchema).default({}),
    policies: z
      .array(slaPolicySchema)
      .default([
        slaPolicySchema.parse({ type: 'complaint', firstResponseHours: 4, nextResponseHours: 4 }),
        slaPolicySchema.parse({ priority: 'urgent', firstResponseHours: 4, nextResponseHours: 4 }),
        slaPolicySchema.parse({ vip: true, firstResponseHours: 8, nextResponseHours: 8 }),
        slaPolicySchema.parse({}),
      ]),
    /** Receive every breach notice and the weekly report, besides agents with `lead: true`. */
    leads: z.array(emailSchema).default([]),
    /** Absent: the report is not mailed. */
    weeklyReport: reportScheduleSchema.optional(),
  })
  .strict()
  .superRefine((sla, ctx) => {
    sla.policies.forEach((p, i) => {
      if (p.calendar !== undefined && !(p.calendar in sla.calendars)) {
        ctx.addIssue({ code: 'custom', path: ['policies', i, 'calendar'], message: `no calendar named ${p.calendar}` });
      }
    });
  });

export const priorityKeywordsSchema = z
  .object({
    priority: z.enum(PRIORITIES),
    /** Matched case-insensitively; Latin words on word boundaries, Chinese anywhere in the text. */
    words: z.array(z.string().trim().min(1)).min(1),
  })
  .strict();

export const prioritySchema = z
  .object({
    /** VIP customers besides those flagged with `postdesk customers vip <email>`. */
    vip: z.array(emailSchema).default([]),
    vipPriority: z.enum(PRIORITIES).default('high'),
    keywords: z.array(priorityKeywordsSchema).default([
      { priority: 'urgent', words: ['urgent', 'emergency', 'lawyer', 'legal action', '紧急', '律师'] },
      { priority: 'high', words: ['refund now', 'complaint', 'unacceptable', 'asap', '投诉', '退款', '太差', '差评'] },
    ]),
  })
  .strict();

/** Suggested FAQ answers in the acknowledgement (see README "Suggested answers"). */
export const suggestionsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Confidence (0..1) an answer needs to be suggested; the default is calibrated by `npm run eval:suggest`. */
    threshold: z.number().min(0).max(1).default(SUGGESTION_THRESHOLD),
  })
  .strict();

const words = () => z.array(z.string().trim().min(1));

export const complaintsSchema = z
  .object({
    /** A new ticket whose first mail (subject and visible text) has one of these is a complaint; matched as priority keywords are. */
    words: words().default([
      'complaint',
      'complaints',
      'complain',
      'unacceptable',
      'not acceptable',
      'outrageous',
      'disgraceful',
      'worst service',
      'very disappointed',
      'extremely disappointed',
      '投诉',
      '太差了',
      '太差劲',
      '不满意',
      '很不满',
      '差评',
      '很失望',
      '非常失望',
      '无法接受',
      '不能接受',
      '太过分',
    ]),
    /** A word just before a match (up to two words, or two Chinese characters, between) takes it back: "no complaints", "没有投诉". */
    negations: words().default(['no', 'not', 'never', 'without', 'nothing to', "don't", 'do not', 'hardly any', '没有', '没什么', '不是', '并非', '谈不上', '算不上']),
  })
  .strict();

export const followUpSchema = z
  .object({
    /** The ticket types that get a follow-up mail after they are resolved. */
    types: z.array(z.enum(TICKET_TYPES)).default(['complaint']),
    /** Days after the resolution. */
    afterDays: z.number().positive().max(366).default(7),
    /** How often `postdesk run` looks for due follow-ups. */
    intervalSeconds: seconds().default(600),
  })
  .strict();
/** `bob@x.example` (that address), or `acme.example` / `@acme.example` (that domain and its subdomains). */
const addressOrDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^\s@]+@|@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected an address (bob@x.example) or a domain (acme.example)');

export const customersSchema = z
  .object({
    /** Customers of a known stage, by address or domain: above the inferred stage, below an agent's or a command's. */
    stages: z
      .object({
        prospect: z.array(addressOrDomainSchema).default([]),
        new: z.array(addressOrDomainSchema).default([]),
        existing: z.array(addressOrDomainSchema).default([]),
      })
      .strict()
      .default({ prospect: [], new: [], existing: [] }),
    /** A customer is `new` for this many days after their first resolved ticket, then `existing`. */
    newForDays: z.number().positive().max(3660).default(90),
    /** A first mail with one of these is from a buyer (`new`), not a `prospect`; matched like priority keywords. */
    orderWords: z
      .array(z.string().trim().min(1))
      .default([
        ...['my order', 'our order', 'order number', 'ordered', 'delivery', 'delivered', 'shipping', 'shipped', 'shipment', 'parcel', 'tracking'],
        ...['invoice', 'receipt', 'purchased', 'bought', 'refund', 'warranty'],
        ...['订单', '下单', '发货', '快递', '物流', '配送', '收货', '到货', '包裹', '退货', '退款', '发票', '保修', '买了'],
      ]),
  })
  .strict()
  .superRefine(({ stages }, ctx) => {
    const seen = new Map<string, string>();
    for (const [stage, entries] of Object.entries(stages)) {
      entries.forEach((entry, i) => {
        const key = entry.replace(/^@/, '');
        const other = seen.get(key);
        if (other) ctx.addIssue({ code: 'custom', path: ['stages', stage, i], message: `${entry} is also listed under ${other}` });
        seen.set(key, stage);
      });
    }
  });

export const configSchema = z
  .object({
    /** The support address customers write to; used for the default mailbox. */
    address: emailSchema.optional(),
    dataDir: z.string().min(1, 'empty (leave it out for ./data)').optional(),
    database: databaseSchema.optional(),
    secret: secretSchema.optional(),
    helpUrl: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
    language: z.enum(['en', 'zh']).default('en'),
    timeZone: timeZoneSchema.default('UTC'),
    mailboxes: z.array(mailboxSchema).default([]),
    agents: z.array(agentSchema).default([]),
    smtp: smtpSchema.optional(),
    tickets: ticketsSchema.default(ticketsSchema.parse({})),
    ingest: ingestSchema.default(ingestSchema.parse({})),
    sla: slaSchema.default(slaSchema.parse({})),
    priority: prioritySchema.default(prioritySchema.parse({})),
    outbound: outboundSchema.default(outboundSchema.parse({})),
    suggestions: suggestionsSchema.default(suggestionsSchema.parse({})),
    complaints: complaintsSchema.default(complaintsSchema.parse({})),
    followUp: followUpSchema.default(followUpSchema.parse({})),
    customers: customersSchema.default(customersSchema.parse({})),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = config.mailboxes.length ? config.mailboxes.map((m) => m.name) : [DEFAULT_MAILBOX.name];
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['mailboxes', i, 'name'], message: `a second mailbox named ${name}` });
    });
    config.sla.policies.forEach((p, i) => {
      if (p.mailbox !== undefined && !names.includes(p.mailbox)) {
        ctx.addIssue({ code: 'custom', path: ['sla', 'policies', i, 'mailbox'], message: `no mailbox named ${p.mailbox} (configured: ${names.join(', ')})` });
      }
    });
  });

export type ConfigFile = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type MailboxConfig = z.output<typeof mailboxSchema>;
export type ImapConfig = z.output<typeof imapSchema>;
export type AgentConfig = z.output<typeof agentSchema>;
export type SmtpConfig = z.output<typeof smtpSchema>;
export type DatabaseConfig = z.output<typeof databaseSchema>;
export type SlaConfig = z.output<typeof slaSchema>;
export type SlaPolicyConfig = z.output<typeof slaPolicySchema>;
export type BusinessCalendarConfig = z.output<typeof businessCalendarSchema>;
export type PriorityConfig = z.output<typeof prioritySchema>;
export type OutboundConfig = z.output<typeof outboundSchema>;
export type ComplaintsConfig = z.output<typeof complaintsSchema>;
export type CustomersConfig = z.output<typeof customersSchema>;
