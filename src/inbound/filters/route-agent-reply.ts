// Files an agent's mail on the ticket its reply token names, whatever the threading guessed, and
// chooses how it is stored: a #note or a rejected command is an internal note; a reply to be relayed
// is kept as the raw record (`system`, the relayed copy is the conversation entry); an agent's
// auto-reply is `auto`; in imported history (quiet) an agent's mail is an `agent` message (`auto` when
// it was an auto-reply).
import { findTicketById } from '../../store/tickets.ts';
import { QuarantineMail, required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

export const routeAgentReply: CommitFilter = {
  name: 'route-agent-reply',
  async run(ctx) {
    const reply = outboundDecisions(ctx).agentReply;
    const thread = required(ctx.thread, 'thread');
    if (!reply) {
      if (required(ctx.sender, 'sender').role !== 'agent') return;
      // Without a token only imported history (quiet) gets here (see verify-agent-reply).
      if (thread.action === 'create') throw new QuarantineMail('mail from an agent address without a reply token that belongs to no ticket');
      ctx.messageKind = required(ctx.classification, 'classification').kind === 'human' ? 'agent' : 'auto';
      return;
    }
    ctx.thread = { action: 'append', ticket: (await findTicketById(ctx.app.db, reply.ticketId))!, matchedBy: thread.matchedBy };
    if (!reply.human) {
      ctx.messageKind = 'auto';
      return;
    }
    const note = reply.commands.some((c) => c.name === 'note') || reply.commandErrors.length > 0;
    // Imported history is stored as what it was, never relayed (see relay-agent-reply).
    ctx.messageKind = note ? 'note' : ctx.quiet ? 'agent' : 'system';
    ctx.visibleText = reply.text;
  },
};
