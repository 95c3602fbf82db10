// Sends a verified agent reply to the customer from the support address, with the agent's Postdesk
// signature, and applies its commands. A #note is sent to nobody; a command error sends nothing to
// the customer and tells the agent what was wrong.
import { applyAgentCommands, type AgentCommand } from '../../outbound/commands.ts';
import { recordFirstResponse } from '../../outbound/first-response.ts';
import { queueAgentReply, queueTemplatedMail } from '../../outbound/queue.ts';
import { renderSignature } from '../../outbound/signature.ts';
import { satisfactionSurvey } from '../../satisfaction/survey.ts';
import { findCustomerById } from '../../store/customers.ts';
import { recordEvent } from '../../store/events.ts';
import { getMailbox } from '../../store/mailboxes.ts';
import { findTicketById, updateTicket } from '../../store/tickets.ts';
import type { CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

const faqLinks = (commands: AgentCommand[]) => commands.flatMap((c) => (c.name === 'faq' ? [{ title: c.title, url: c.url, answer: c.answer }] : []));

export const relayAgentReply: CommitFilter = {
  name: 'relay-agent-reply',
  async run(ctx) {
    const { app } = ctx;
    const reply = outboundDecisions(ctx).agentReply;
    // Imported history (quiet) is stored, never sent or acted upon again.
    if (!reply || ctx.quiet) return;
    const at = app.now();
    const { agent, ticketId } = reply;
    if (!reply.human) {
      await recordEvent(app.db, ticketId, 'agent-auto-reply-ignored', { agent: agent.email }, at);
      return;
    }
    if (reply.commandErrors.length) {
      await queueTemplatedMail(app, { ticketId, template: 'command-error', to: { address: agent.email, name: agent.name }, data: { errors: reply.commandErrors } });
      await recordEvent(app.db, ticketId, 'agent-command-rejected', { agent: agent.email, errors: reply.commandErrors }, at);
      return;
    }
    const note = reply.commands.some((c) => c.name === 'note');
    const links = faqLinks(reply.commands);
    let ticket = (await findTicketById(app.db, ticketId))!;
    const answered = !note && (reply.text !== '' || links.length > 0);
    // The mail that resolves the ticket asks "How did we do?": the answer itself, else the resolved mail.
    const resolves = !note && ticket.status !== 'resolved' && reply.commands.filter((c) => c.name === 'status').at(-1)?.status === 'resolved';
    const survey = resolves ? await satisfactionSurvey(app, ticket) : null;
    if (answered) {
      const signature = renderSignature(app, agent, (await getMailbox(app.db, ticket.mailboxId))!, ticket);
      const row = await queueAgentReply(app, { ticketId, fromAgent: agent, data: { body: reply.text, signature, faqLinks: links, survey } });
      await recordEvent(app.db, ticketId, 'agent-replied', { agent: agent.email, messageId: row.messageId }, at);
      await recordFirstResponse(app, ticketId, at);
      if (ticket.status === 'new') ticket = await updateTicket(app.db, ticketId, { status: 'open', updatedAt: at });
    } else if (note) {
      await recordEvent(app.db, ticketId, 'note-added', { agent: agent.email }, at);
    }
    ticket = await applyAgentCommands(app, ticket, reply.commands, agent);
    if (survey && !answered) {
      const customer = (await findCustomerById(app.db, ticket.customerId))!;
      await queueTemplatedMail(app, { ticketId, template: 'resolved', to: { address: customer.email, name: customer.name ?? '' }, data: { survey } });
    }
  },
};
