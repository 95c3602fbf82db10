// Who wrote this: one of our agents, or a customer (created on first contact).
import { findAgentByEmail } from '../../store/agents.ts';
import { upsertCustomer } from '../../store/customers.ts';
import { required, type CommitFilter } from '../context.ts';

export const identifySender: CommitFilter = {
  name: 'identify-sender',
  async run(ctx) {
    const { from } = required(ctx.mail, 'mail');
    const agent = await findAgentByEmail(ctx.app.db, from.address);
    if (agent?.active) {
      ctx.sender = { role: 'agent', agentId: agent.id };
      ctx.messageKind ??= 'agent';
      return;
    }
    const customer = await upsertCustomer(ctx.app.db, from.address, from.name, ctx.receivedAt);
    ctx.sender = { role: 'customer', customerId: customer.id };
    ctx.messageKind ??= ctx.classification?.kind === 'human' ? 'customer' : 'auto';
  },
};
