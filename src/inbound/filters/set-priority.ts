// Raises the ticket's priority for VIP customers and for urgent or angry words in the customer's
// mail (subject and visible text), and records why on the ticket.
import { recordEvent } from '../../store/events.ts';
import { findCustomerById } from '../../store/customers.ts';
import { updateTicket } from '../../store/tickets.ts';
import { decidePriority } from '../../priority/decide-priority.ts';
import { isVip } from '../../priority/vip.ts';
import { required, type CommitFilter } from '../context.ts';

export const setPriority: CommitFilter = {
  name: 'set-priority',
  async run(ctx) {
    if (ctx.messageKind !== 'customer') return;
    const ticket = required(ctx.ticket, 'ticket');
    const mail = required(ctx.mail, 'mail');
    const customer = (await findCustomerById(ctx.app.db, required(ctx.sender, 'sender').customerId!))!;
    const decision = decidePriority(ctx.app, {
      current: ticket.priority,
      vip: isVip(ctx.app, customer),
      text: `${mail.subject}\n${ctx.visibleText ?? ctx.text ?? ''}`,
    });
    if (decision.priority === ticket.priority) return;
    ctx.ticket = await updateTicket(ctx.app.db, ticket.id, { priority: decision.priority });
    await recordEvent(
      ctx.app.db,
      ticket.id,
      'priority-raised',
      { from: ticket.priority, to: decision.priority, vip: decision.vip, matched: decision.matched, messageId: mail.messageId },
      ctx.receivedAt,
    );
  },
};
