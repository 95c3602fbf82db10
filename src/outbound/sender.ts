// The sender: delivers due outbox rows, retries transient failures (connection errors, 4xx) with
// exponential backoff for up to outbound.retryHours, and records permanent failures (5xx) on the ticket.
// Agent notifications held in a burst go out as one digest per agent (./digest.ts).
// Each attempt first claims its row for this worker (app.worker), so two senders — of this process or
// of other workers on the database — never deliver the same row at the same time; the claim of a
// worker that died or stopped is taken over at once. No transaction stays open across a send (it
// would keep every other writer waiting on the network): the claim and the outcome are each a short
// transaction of their own.
import type Mail from 'nodemailer/lib/mailer';
import { inTransaction, type App } from '../app.ts';
import { claimNextOutbox, markOutboxFailed, markOutboxSent, scheduleOutboxRetry, type OutboxRow } from '../store/outbox.ts';
import type { Loop } from '../service/run.ts';
import { Wakeup } from '../service/wakeup.ts';
import { openDelivery, type MailDelivery } from './delivery.ts';
import { reportDeliveryFailure } from './delivery-failure.ts';
import { queueDueDigests } from './digest.ts';
import { AGENT_KINDS } from './queue.ts';

const LEASE_MS = 5 * 60 * 1000;
const FIRST_RETRY_MS = 60 * 1000;
const MAX_RETRY_MS = 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface SendSummary {
  sent: number;
  retrying: number;
  failed: number;
}

type Outcome = keyof SendSummary;

/** Delivers every row that is due now, one claim at a time; returns what happened to them. */
export async function deliverDueMail(app: App, delivery: MailDelivery): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, retrying: 0, failed: 0 };
  // Notifications held back in a burst become due as one digest when their window has passed.
  await queueDueDigests(app);
  for (;;) {
    const now = app.now();
    const row = await inTransaction(app, ({ db }) => claimNextOutbox(db, app.worker.id, now, new Date(now.getTime() + LEASE_MS)));
    if (!row) return summary;
    summary[await deliverOne(app, delivery, row)]++;
  }
}

/** Exponential backoff: 1, 2, 4, ... minutes, at most an hour between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/** The SMTP commands that carry the mail itself (nodemailer names the command an error answers). */
const MAIL_COMMANDS = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);

/**
 * A 5xx reply to the mail itself (sender, recipient, content) is final. Anything else may succeed
 * later: connection refused, timeouts, 4xx, and a 5xx to AUTH, STARTTLS or EHLO, which is about
 * Postdesk's SMTP settings (a wrong password, no TLS) and passes once the admin fixes them.
 */
export function isPermanentFailure(err: unknown): boolean {
  const { responseCode: code, command } = err as { responseCode?: number; command?: string };
  return typeof code === 'number' && code >= 500 && code < 600 && MAIL_COMMANDS.has(command ?? '');
}

async function deliverOne(app: App, delivery: MailDelivery, row: OutboxRow): Promise<Outcome> {
  try {
    await delivery.send({ ...(row.mail as Mail.Options), messageId: `<${row.messageId}>` });
    await inTransaction(app, ({ db }) => markOutboxSent(db, row.id, app.now()));
    return 'sent';
  } catch (err) {
    const error = (err as Error).message.slice(0, 500);
    const now = app.now();
    const expired = now.getTime() - row.createdAt.getTime() >= app.config.outbound.retryHours * HOUR_MS;
    if (!isPermanentFailure(err) && !expired) {
      await inTransaction(app, ({ db }) => scheduleOutboxRetry(db, row.id, new Date(now.getTime() + retryDelayMs(row.attempts)), error));
      app.log.warn(`outbox ${row.messageId} to ${row.recipient}: ${error} (retrying)`);
      return 'retrying';
    }
    await inTransaction(app, async (app) => {
      await markOutboxFailed(app.db, row.id, error);
      if (row.ticketId !== null) {
        await reportDeliveryFailure(
          app,
          { ticketId: row.ticketId, recipient: row.recipient, messageId: row.messageId, error, via: 'smtp' },
          { notifyAgents: !(AGENT_KINDS as string[]).includes(row.kind) },
        );
      }
    });
    app.log.error(`outbox ${row.messageId} to ${row.recipient}: ${error} (given up)`);
    return 'failed';
  }
}

/** The sender loop of `postdesk run`: drains the outbox, then waits for new mail or the interval. */
export function senderLoop(app: App): Loop {
  const delivery = openDelivery(app);
  return {
    name: `sender → ${delivery.name}`,
    async run(signal) {
      const wakeup = new Wakeup();
      // A mail just ingested usually queued an acknowledgement: send it within seconds.
      const onIngested = () => wakeup.wake();
      app.events.on('ingested', onIngested);
      try {
        while (!signal.aborted) {
          try {
            const s = await deliverDueMail(app, delivery);
            if (s.sent || s.retrying || s.failed) app.log.info(`outbox: ${s.sent} sent, ${s.retrying} retrying, ${s.failed} failed`);
          } catch (err) {
            app.log.error(`sender: ${(err as Error).message}`);
          }
          await wakeup.wait(app.config.outbound.senderIntervalSeconds * 1000, signal);
        }
      } finally {
        app.events.off('ingested', onIngested);
        delivery.close();
      }
    },
  };
}
