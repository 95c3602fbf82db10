// Writes the ticket (new, or reopened) and the message with its attachments.
import { insertAttachments, insertMessage } from '../../store/messages.ts';
import { createTicket, nextTicketNumber, updateTicket } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

export const storeMessage: CommitFilter = {
  name: 'store-message',
  async run(ctx) {
    const { db, config } = ctx.app;
    const mail = required(ctx.mail, 'mail');
    const thread = required(ctx.thread, 'thread');
    const sender = required(ctx.sender, 'sender');
    const raw = required(ctx.rawLocation, 'rawLocation');
    const at = ctx.receivedAt;
    let ticket = thread.ticket;
    if (thread.action === 'create' || !ticket) {
      ticket = await createTicket(db, {
        number: await nextTicketNumber(db, config.tickets.startNumber),
        subject: mail.subject || '(no subject)',
        mailboxId: ctx.mailbox.id,
        // Only customers open tickets: route-agent-reply quarantines agent mail that would start one.
        customerId: required(sender.customerId, 'the customer of a new ticket'),
        linkedTicketId: thread.linkedTo?.id ?? null,
        at,
      });
    } else {
      const customerWrote = ctx.messageKind === 'customer';
      const status = thread.reopen || (customerWrote && ticket.status === 'pending') ? 'open' : ticket.status;
      ticket = await updateTicket(db, ticket.id, { status, updatedAt: at, ...(thread.reopen ? { resolvedAt: null } : {}) });
    }
    const messageId = await insertMessage(db, {
      ticketId: ticket.id,
      mailboxId: ctx.mailbox.id,
      direction: 'in',
      kind: required(ctx.messageKind, 'messageKind'),
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      fromAddress: mail.from.address,
      fromName: mail.from.name,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject,
      html: ctx.html ?? null,
      text: ctx.text ?? '',
      visibleText: ctx.visibleText ?? '',
      classification: ctx.classification?.kind ?? 'human',
      rawSha256: raw.sha256,
      contentHash: mail.contentHash,
      rawSize: raw.size,
      rawPack: raw.pack,
      rawOffset: raw.offset,
      date: mail.date,
      receivedAt: at,
    });
    await insertAttachments(
      db,
      (ctx.attachments ?? []).map(({ location, ...a }) => ({ ...a, ...location, messageId })),
    );
    ctx.ticket = ticket;
    ctx.storedMessageId = messageId;
  },
};
