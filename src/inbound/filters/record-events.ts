// The ticket's audit trail for this mail, and the pipeline's result.
import { recordEvent } from '../../store/events.ts';
import { required, type CommitFilter } from '../context.ts';
import { linkFeedbackTicket } from './faq-feedback.ts';

export const recordEvents: CommitFilter = {
  name: 'record-events',
  async run(ctx) {
    const { db } = ctx.app;
    const ticket = required(ctx.ticket, 'ticket');
    const thread = required(ctx.thread, 'thread');
    const mail = required(ctx.mail, 'mail');
    const at = ctx.receivedAt;
    const base = { messageId: mail.messageId, from: mail.from.address, source: ctx.source };
    if (thread.action === 'create') {
      await recordEvent(db, ticket.id, 'created', base, at);
      if (thread.linkedTo) {
        const link = { reason: thread.linkReason, matchedBy: thread.matchedBy, from: mail.from.address };
        await recordEvent(db, ticket.id, 'linked', { ticket: thread.linkedTo.number, ...link }, at);
        await recordEvent(db, thread.linkedTo.id, 'linked', { ticket: ticket.number, ...link }, at);
      }
    } else {
      await recordEvent(db, ticket.id, 'appended', { ...base, matchedBy: thread.matchedBy }, at);
      if (thread.reopen) await recordEvent(db, ticket.id, 'status-changed', { from: thread.ticket?.status, to: 'open', reason: 'customer replied' }, at);
    }
    if (ctx.reusedMessageId) await recordEvent(db, ticket.id, 'message-id-reused', ctx.reusedMessageId, at);
    await linkFeedbackTicket(ctx, ticket);
    const classification = ctx.classification;
    if (classification && classification.kind !== 'human') {
      await recordEvent(db, ticket.id, 'classified', { kind: classification.kind, reasons: classification.reasons }, at);
    }
    ctx.result = { source: ctx.source, status: thread.action === 'create' ? 'created' : 'appended', ticket: ticket.number };
  },
};
