// The inbound pipeline: an ordered list of small filters, one concern each (see ./filters).
// The raw mail is stored first; the prepare filters parse and transform it; the commit filters run
// in one database transaction, so a mail is stored completely or not at all.
import type { App } from '../app.ts';
import { inTransaction } from '../store/db.ts';
import { quarantineMail } from '../store/quarantine.ts';
import { QuarantineMail, type CommitFilter, type IncomingMail, type IngestResult, type MailContext, type PrepareFilter } from './context.ts';
import { parseMail } from './filters/parse.ts';
import { normalizeMail } from './filters/normalize.ts';
import { sanitizeMailBody } from './filters/sanitize.ts';
import { saveAttachments } from './filters/save-attachments.ts';
import { extractVisible } from './filters/visible-text.ts';
import { classifyMail } from './filters/classify.ts';
import { detectDuplicate } from './filters/detect-duplicate.ts';
import { identifySender } from './filters/identify-sender.ts';
import { threadMail } from './filters/thread.ts';
import { storeMessage } from './filters/store-message.ts';
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
import { startSlaClock, syncSlaClock } from './filters/run-sla-clock.ts';

export const prepareFilters: PrepareFilter[] = [parseMail, normalizeMail, sanitizeMailBody, saveAttachments, extractVisible, classifyMail, detectOwnMail, verifyAgentReply, agentCommands];

// startSlaClock sets the due time that later filters may promise; syncSlaClock comes after every
// filter that can answer, pause or resolve the ticket, so the clocks see those changes.
export const commitFilters: CommitFilter[] = [
  detectDuplicate,
  identifySender,
  threadMail,
  routeAgentReply,
  bounceOfOurMail,
  storeMessage,
  setPriority,
  startSlaClock,
  loopGuard,
  queueAcknowledgement,
  notifyAgents,
  relayAgentReply,
  syncSlaClock,
  recordEvents,
];

/** Takes one raw mail through the pipeline. Never throws for a bad mail: it ends in quarantine. */
export async function ingestRawMail(app: App, incoming: IncomingMail): Promise<IngestResult> {
  const rawSha256 = app.raw.put(incoming.raw);
  const ctx: MailContext = { ...incoming, app, rawSha256 };
  let step = '';
  try {
    for (const filter of prepareFilters) {
      step = filter.name;
      await filter.run(ctx);
    }
    inTransaction(app.db, () => {
      for (const filter of commitFilters) {
        step = filter.name;
        filter.run(ctx);
        if (ctx.result) break;
      }
    });
    if (!ctx.result) throw new Error('no filter decided the outcome');
  } catch (err) {
    const reason = err instanceof QuarantineMail ? err.message : `${step} failed: ${(err as Error).message}`;
    const held = quarantineMail(app.db, {
      rawSha256,
      rawSize: incoming.raw.length,
      source: incoming.source,
      mailbox: incoming.mailbox.name,
      reason,
      at: app.now(),
    });
    ctx.result = { source: incoming.source, status: 'quarantined', ticket: null, reason, quarantineId: held.id };
  }
  app.events.emit('ingested', ctx.result);
  return ctx.result;
}
