// Exactly once: a mail whose Message-ID or raw bytes are already stored is recorded as a duplicate.
import { findSameMail } from '../../store/messages.ts';
import { findTicketById } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

export const detectDuplicate: CommitFilter = {
  name: 'detect-duplicate',
  run(ctx) {
    const mail = required(ctx.mail, 'mail');
    const seen = findSameMail(ctx.app.db, mail.messageId, required(ctx.rawLocation, 'rawLocation').sha256);
    if (!seen) return;
    const ticket = findTicketById(ctx.app.db, seen.ticketId);
    const how = seen.messageId === mail.messageId ? `Message-ID <${mail.messageId}>` : 'identical raw bytes';
    ctx.result = { source: ctx.source, status: 'duplicate', ticket: ticket?.number ?? null, reason: `already stored (${how})` };
  },
};
