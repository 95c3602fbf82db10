// An agent's verified reply: the visible text (quoted notification and the agent's mail signature
// removed) and the `#command` lines at its top, parsed before the transaction.
import type { App } from '../../app.ts';
import { parseAgentReply, type CommandLookups } from '../../outbound/commands.ts';
import { customerLanguage } from '../../outbound/language.ts';
import { faqAnswerText, faqCatalog, faqUrl } from '../../outbound/faq-answers.ts';
import { findAgentByEmail, listActiveAgents } from '../../store/agents.ts';
import { findTicketById } from '../../store/tickets.ts';
import { required, type PrepareFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

function commandLookups(app: App, ticketId: number): CommandLookups {
  return {
    async findAgent(query) {
      const byEmail = query.includes('@') ? await findAgentByEmail(app.db, query) : undefined;
      if (byEmail) return byEmail.active ? byEmail : undefined;
      return (await listActiveAgents(app.db)).find((a) => a.name.toLowerCase() === query.toLowerCase());
    },
    async findFaq(slug) {
      const { helpUrl } = app.config;
      if (!helpUrl) return undefined;
      const ticket = (await findTicketById(app.db, ticketId))!;
      const entry = faqCatalog().entry(slug, await customerLanguage(app, ticket.customerId));
      return entry && { title: entry.question, url: faqUrl(helpUrl, entry.locale, slug), answer: faqAnswerText(entry, helpUrl) };
    },
  };
}

export const agentCommands: PrepareFilter = {
  name: 'agent-commands',
  async run(ctx) {
    const reply = outboundDecisions(ctx).agentReply;
    if (!reply?.human) return;
    const parsed = await parseAgentReply(required(ctx.visibleText, 'visibleText'), commandLookups(ctx.app, reply.ticketId));
    Object.assign(reply, { text: parsed.body, commands: parsed.commands, commandErrors: parsed.errors });
  },
};
