// The configuration schema: one zod object per concern, composed into the whole file's shape.
import { z } from 'zod';

/** A secret given inline, or as a reference to an environment variable: `{ "env": "IMAP_PASSWORD" }`. */
export const secretSchema = z.union([z.string(), z.object({ env: z.string().min(1) }).strict()]);

const emailSchema = z.string().trim().toLowerCase().pipe(z.email());

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
    pollIntervalSeconds: z.number().positive().default(60),
    reconcileIntervalSeconds: z.number().positive().default(600),
  })
  .strict();

export const mailboxSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, dot, dash, underscore'),
    address: emailSchema,
    imap: imapSchema.optional(),
    /** Liquid template appended to every human reply sent from this mailbox (brand signature). */
    signature: z.string().optional(),
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
    reopenWindowDays: z.number().nonnegative().default(30),
  })
  .strict();

export const ingestSchema = z
  .object({
    maxMessageBytes: z.number().int().positive().default(25 * 1024 * 1024),
  })
  .strict();

export const configSchema = z
  .object({
    /** The support address customers write to; used for the default mailbox. */
    address: emailSchema.optional(),
    dataDir: z.string().optional(),
    secret: secretSchema.optional(),
    helpUrl: z.url().optional(),
    language: z.enum(['en', 'zh']).default('en'),
    timeZone: z.string().default('UTC'),
    mailboxes: z.array(mailboxSchema).default([]),
    agents: z.array(agentSchema).default([]),
    smtp: smtpSchema.optional(),
    tickets: ticketsSchema.default(ticketsSchema.parse({})),
    ingest: ingestSchema.default(ingestSchema.parse({})),
  })
  .strict();

export type ConfigFile = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type MailboxConfig = z.output<typeof mailboxSchema>;
export type ImapConfig = z.output<typeof imapSchema>;
export type AgentConfig = z.output<typeof agentSchema>;
export type SmtpConfig = z.output<typeof smtpSchema>;
