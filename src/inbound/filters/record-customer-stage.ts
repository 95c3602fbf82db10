// A new ticket keeps the stage its customer had when it opened (tickets.customerStage), for reports
// and for what is suggested to them; the customer's stored stage is brought up to date on the way.
import { refreshCustomerStage } from '../../customers/stage.ts';
import { findCustomerById } from '../../store/customers.ts';
import { updateTicket } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

export const recordCustomerStage: CommitFilter = {
  name: 'record-customer-stage',
  async run(ctx) {
    if (required(ctx.thread, 'thread').action !== 'create') return;
    const ticket = required(ctx.ticket, 'ticket');
    const { stage } = await refreshCustomerStage(ctx.app, (await findCustomerById(ctx.app.db, ticket.customerId))!);
    ctx.ticket = await updateTicket(ctx.app.db, ticket.id, { customerStage: stage });
  },
};
