// A bounce of a mail we sent (the DSN quotes our signed Message-ID in the returned headers) belongs
// to that mail's ticket: it is filed there, never opens a ticket of its own, is recorded as a
// delivery-failure event, and the agents are told. A delay notice (Action: delayed) is only recorded.
import { reportDeliveryFailure } from '../../outbound/delivery-failure.ts';
import { AGENT_KINDS } from '../../outbound/queue.ts';
import { verifyMessageId } from '../../outbound/tokens.ts';
import { recordEvent } from '../../store/events.ts';
import { findOutboxByMessageIds, markOutboxFailed } from '../../store/outbox.ts';
import { findTicketById } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

const OUR_ID_SHAPE = /pd\.\d+\.[0-9a-f]{16}\.[0-9a-f]{24}@[a-z0-9.-]+/gi;

/** The first line of the DSN's diagnostic, else its status, for the event and the agent's notice. */
function diagnostic(raw: string): string {
  const line = /^Diagnostic-Code:\s*(.+)$/im.exec(raw) ?? /^Status:\s*(\d\.\d+\.\d+.*)$/im.exec(raw);
  return line ? line[1].trim().slice(0, 300) : 'the receiving server returned the mail';
}

export const bounceOfOurMail: CommitFilter = {
  name: 'bounce-of-our-mail',
  async run(ctx) {
    if (required(ctx.classification, 'classification').kind !== 'bounce') return;
    const { app } = ctx;
    const raw = ctx.raw.toString('latin1');
    const ours = [...new Set(raw.match(OUR_ID_SHAPE) ?? [])].filter((id) => verifyMessageId(app.secret, id) !== undefined);
    const original = await findOutboxByMessageIds(app.db, ours);
    const ticket = original?.ticketId ? await findTicketById(app.db, original.ticketId) : undefined;
    if (!original || !ticket) return;
    ctx.thread = { action: 'append', ticket, matchedBy: 'references' };
    const delayed = /^Action:\s*delayed/im.test(raw) && !/^Action:\s*failed/im.test(raw);
    if (delayed) {
      await recordEvent(app.db, ticket.id, 'delivery-delayed', { messageId: original.messageId, recipient: original.recipient }, ctx.receivedAt);
      return;
    }
    const error = diagnostic(raw);
    await markOutboxFailed(app.db, original.id, `bounced: ${error}`);
    await reportDeliveryFailure(
      app,
      { ticketId: ticket.id, recipient: original.recipient, messageId: original.messageId, error, via: 'bounce' },
      { notifyAgents: !ctx.quiet && !(AGENT_KINDS as string[]).includes(original.kind) },
    );
  },
};
