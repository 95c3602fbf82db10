// The Postdesk signature under every human reply to a customer: the agent's own Liquid template,
// else the mailbox's (brand) template, else a plain name line.
import type { App } from '../app.ts';
import type { AgentRow } from '../store/agents.ts';
import type { MailboxRow } from '../store/mailboxes.ts';
import type { TicketRow } from '../store/tickets.ts';
import { renderSnippet } from './templates.ts';

export function renderSignature(app: App, agent: AgentRow, mailbox: MailboxRow, ticket: TicketRow): string {
  const agentConfig = app.config.agents.find((a) => a.email === agent.email);
  const mailboxConfig = app.config.mailboxes.find((m) => m.name === mailbox.name);
  const template = agentConfig?.signature ?? mailboxConfig?.signature ?? '{{ agent.name }}{% if agent.title != blank %}, {{ agent.title }}{% endif %}\n{{ mailbox.name }}';
  return renderSnippet(template, {
    agent: { name: agent.name, title: agentConfig?.title ?? '' },
    ticket: { number: ticket.number },
    mailbox: { name: mailbox.name, address: mailbox.address },
    helpUrl: app.config.helpUrl ?? '',
  });
}
