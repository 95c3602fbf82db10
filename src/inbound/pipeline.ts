// The inbound pipeline: an ordered list of small filters, one concern each (see ./filters).
// The raw mail is stored first; the decode filters parse it (in a worker thread, see ./decode); the
// prepare filters add what needs the store; the commit filters run in one database transaction, so
// a mail is stored completely or not at all.
import { inTransaction, type App } from '../app.ts';
import { quarantineMail } from '../store/quarantine.ts';
import { QuarantineMail, type CommitFilter, type IncomingMail, type MailContext, type PrepareFilter } from './context.ts';
import type { DecodedMail, DecodeInput } from './decode/decoded-mail.ts';
import type { IngestResult } from './ingest-result.ts';
import { detectDuplicate } from './filters/detect-duplicate.ts';
import { identifySender } from './filters/identify-sender.ts';
import { takeFaqFeedback } from './filters/faq-feedback.ts';
import { threadMail } from './filters/thread.ts';
import { storeMessage } from './filters/store-message.ts';
import { recordRating } from './filters/record-rating.ts';
import { recordCustomerStage } from './filters/record-customer-stage.ts';
import { recordEvents } from './filters/record-events.ts';
import { detectOwnMail } from './filters/detect-own-mail.ts';
import { loopGuard } from './filters/loop-guard.ts';
import { queueAcknowledgement } from './filters/queue-acknowledgement.ts';
import { notifyAgents } from './filters/notify-agents.ts';
import { verifyAgentReply } from './filters/verify-agent-reply.ts';
import { agentCommands } from './filters/agent-commands.ts';
import { routeAgentReply } from './filters/route-agent-reply.ts';
import { relayAgentReply } from './filters/relay-agent-reply.ts';
import { bounceOfOurMail } from './filters/bounce-of-our-mail.ts';
import { setPriority } from './filters/set-priority.ts';
import { detectComplaint } from './filters/detect-complaint.ts';
import { startSlaClock, syncSlaClock } from './filters/run-sla-clock.ts';
import { suggestAnswers } from './filters/suggest-answers.ts';
import { resolveSelfServed } from './filters/resolve-self-served.ts';
import { planFollowUpFilter } from './filters/plan-follow-up.ts';

export const prepareFilters: PrepareFilter[] = [detectOwnMail, verifyAgentReply, agentCommands];

// startSlaClock sets the due time that later filters may promise (detectComplaint before it chooses
// the policy); planFollowUp and syncSlaClock come after every filter that can answer, pause or
// resolve the ticket, so the follow-up and the clocks see those changes.
export const commitFilters: CommitFilter[] = [
  detectDuplicate,
  identifySender,
  takeFaqFeedback,
  threadMail,
  routeAgentReply,
  bounceOfOurMail,
  storeMessage,
  recordRating,
  recordCustomerStage,
  setPriority,
  detectComplaint,
  startSlaClock,
  suggestAnswers,
  resolveSelfServed,
  loopGuard,
  queueAcknowledgement,
  notifyAgents,
  relayAgentReply,
  planFollowUpFilter,
  syncSlaClock,
  recordEvents,
];

/** Takes one raw mail through the pipeline. Never throws for a bad mail: it ends in quarantine. */
export async function ingestRawMail(app: App, incoming: IncomingMail): Promise<IngestResult> {
  return commitMail(receiveMail(app, incoming));
}

export interface InOrderIntake<T> {
  /** The mail an item holds, or null when it is gone (taken by another reader). */
  incoming(item: T): IncomingMail | null;
  /** Called after the item's mail is committed (or quarantined), in the order of the items. */
  done(item: T, result: IngestResult, incoming: IncomingMail): void | Promise<void>;
  /**
   * An item whose mail cannot be read (incoming threw): told in the items' order, and the batch goes
   * on. Without it, the error ends the batch.
   */
  unreadable?(item: T, err: unknown): void;
  /** Checked before each new item is taken; items already taken are finished. */
  shouldStop?: () => boolean;
}

/**
 * Mails decoded ahead of the one committing: enough that a slow commit does not leave the decode
 * workers idle (8 left the worker idle a tenth of the time here), and bounded in bytes for big mails:
 * decoding takes several times a mail's size, so at most two mails of 25 MB decode at once.
 */
const DECODE_AHEAD_MAILS = 32;
const DECODE_AHEAD_BYTES = 32 * 1024 * 1024;

/**
 * Ingests many mails in their order, decoding the next ones while earlier ones commit. Commits stay
 * in order, so a reply never commits before the mail it answers.
 */
export async function ingestInOrder<T>(app: App, items: Iterable<T>, intake: InOrderIntake<T>): Promise<void> {
  const window: { item: T; received: ReceivedMail }[] = [];
  let windowBytes = 0;
  const finishOldest = async () => {
    const { item, received } = window.shift()!;
    windowBytes -= received.ctx.raw.length;
    await intake.done(item, await commitMail(received), received.ctx);
  };
  try {
    for (const item of items) {
      if (intake.shouldStop?.()) break;
      let incoming: IncomingMail | null;
      try {
        incoming = intake.incoming(item);
      } catch (err) {
        if (!intake.unreadable) throw err;
        while (window.length) await finishOldest();
        intake.unreadable(item, err);
        continue;
      }
      if (!incoming) continue;
      window.push({ item, received: receiveMail(app, incoming) });
      windowBytes += incoming.raw.length;
      while (window.length >= DECODE_AHEAD_MAILS || windowBytes > DECODE_AHEAD_BYTES) await finishOldest();
    }
  } finally {
    // Also when an item cannot be read: the mails taken before it are finished, as if one by one.
    while (window.length) await finishOldest();
  }
}

interface ReceivedMail {
  ctx: MailContext;
  decoding: Promise<DecodedMail>;
}

/** Starts decoding (which keeps the raw bytes first); may run ahead of earlier mails' commits. */
function receiveMail(app: App, incoming: IncomingMail): ReceivedMail {
  const input: DecodeInput = {
    raw: incoming.raw,
    limits: { maxMessageBytes: app.config.ingest.maxMessageBytes },
    agentAddresses: app.config.agents.map((a) => a.email),
  };
  const decoding = app.decoder.decode(input);
  decoding.catch(() => {}); // awaited in commitMail; not unhandled while earlier mails commit
  return { ctx: { ...incoming, ...input, app, stores: { raw: app.raw, attachments: app.attachments } }, decoding };
}

async function commitMail({ ctx, decoding }: ReceivedMail): Promise<IngestResult> {
  const { app } = ctx;
  let step = 'decode';
  try {
    Object.assign(ctx, await decoding);
    for (const filter of prepareFilters) {
      step = filter.name;
      await filter.run(ctx);
    }
    // One transaction: the filters see the App with the transaction's handle; the first filter that
    // decides the outcome ends it.
    await inTransaction(app, async (tx) => {
      ctx.app = tx;
      try {
        for (const filter of commitFilters) {
          step = filter.name;
          await filter.run(ctx);
          if (ctx.result) return;
        }
      } finally {
        ctx.app = app;
      }
    });
    if (!ctx.result) throw new Error('no filter decided the outcome');
  } catch (err) {
    const reason = err instanceof QuarantineMail ? err.message : `${step} failed: ${(err as Error).message}`;
    // A decode that failed before keep-raw (or a worker that died) kept nothing: keep the bytes here.
    // If they cannot be kept here either, nothing is kept: that throws, so the caller leaves the mail
    // at its source.
    const raw = ctx.rawLocation ?? (err instanceof QuarantineMail ? err.rawLocation : undefined) ?? (await app.raw.put(ctx.raw));
    const held = await inTransaction(app, ({ db }) => quarantineMail(db, {
      raw,
      source: ctx.source,
      mailbox: ctx.mailbox.name,
      reason,
      at: app.now(),
    }));
    ctx.result = { source: ctx.source, status: 'quarantined', ticket: null, reason, quarantineId: held.id };
  }
  app.events.emit('ingested', ctx.result);
  return ctx.result;
}
