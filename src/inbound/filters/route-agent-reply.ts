// Files an agent's mail on the ticket its reply token names, whatever the threading guessed, and
// chooses how it is stored: a #note or a rejected command is an internal note; a reply to be relayed
// is kept as the raw record (`system`, the relayed copy is the conversation entry); an agent's
// auto-reply is `auto`.
import { findTicketById } from '../../store/tickets.ts';
import { QuarantineMail, required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

export const routeAgentReply: CommitFilter = {
  name: 'route-agent-reply',
  run(ctx) {
    const reply = outboundDecisions(ctx).agentReply;
    const thread = required(ctx.thread, 'thread');
    if (!reply) {
      if (required(ctx.sender, 'sender').role !== 'agent') return;
      // Only an agent's auto-reply gets here without a token (human mail was quarantined).
      if (thread.action === 'create') throw new QuarantineMail('auto-reply from an agent address that belongs to no ticket');
      ctx.messageKind = 'auto';
      return;
    }
    ctx.thread = { action: 'append', ticket: findTicketById(ctx.app.db, reply.ticketId)!, matchedBy: thread.matchedBy };
    if (!reply.human) {
      ctx.messageKind = 'auto';
      return;
    }
    const note = reply.commands.some((c) => c.name === 'note') || reply.commandErrors.length > 0;
    ctx.messageKind = note ? 'note' : 'system';
    ctx.visibleText = reply.text;
  },
};
