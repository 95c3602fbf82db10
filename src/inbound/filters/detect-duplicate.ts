// Exactly once, and never a different mail lost. A duplicate is the same mail: the same Message-ID
// and the same content hash (sender, date, subject, body; not the trace headers that differ between
// two delivery paths), or the very same raw bytes. A different mail that reuses a stored Message-ID
// (broken mailers, web forms, scanners) is kept under a synthetic Message-ID of its own.
import { findMessageByMessageId, findMessageByRaw, recordDuplicateDelivery, type StoredMailKey } from '../../store/messages.ts';
import { findTicketById } from '../../store/tickets.ts';
import { required, type CommitFilter, type MailContext } from '../context.ts';
import { syntheticMessageId } from './normalize.ts';

export const detectDuplicate: CommitFilter = {
  name: 'detect-duplicate',
  async run(ctx) {
    const { db } = ctx.app;
    const mail = required(ctx.mail, 'mail');
    const raw = required(ctx.rawLocation, 'rawLocation');
    let seen = await findMessageByMessageId(db, mail.messageId);
    // Rows stored before content hashes were kept have none: their Message-ID alone decides.
    if (seen?.contentHash && seen.contentHash !== mail.contentHash) {
      ctx.reusedMessageId = { messageId: mail.messageId, firstSeenIn: await ticketNumber(ctx, seen) };
      mail.messageId = syntheticMessageId(mail.contentHash);
      seen = await findMessageByMessageId(db, mail.messageId);
    }
    const how = seen ? `Message-ID <${seen.messageId}>` : 'identical raw bytes';
    seen ??= await findMessageByRaw(db, raw.sha256);
    if (!seen) return;
    await recordDuplicateDelivery(db, { messageId: seen.id, raw, source: ctx.source, mailbox: ctx.mailbox.name, at: ctx.receivedAt });
    const ticket = await ticketNumber(ctx, seen);
    ctx.result = { source: ctx.source, status: 'duplicate', ticket, duplicateOf: seen.id, reason: `same mail as message ${seen.id} in #${ticket} (${how})` };
  },
};

async function ticketNumber(ctx: MailContext, message: StoredMailKey): Promise<number | null> {
  return (await findTicketById(ctx.app.db, message.ticketId))?.number ?? null;
}
