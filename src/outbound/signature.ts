// Signatures: under every human reply to a customer the agent's own Liquid template, else the
// mailbox's (brand) template, else a plain name line; under the mailbox's machine mail to customers
// (the acknowledgement) the mailbox's template without an agent, else its display name. A value a
// template names but that is empty (an agent without a title, no help URL, no agent at all) leaves
// no separator dangling: "{{ agent.name }}, {{ agent.title }}" signs "Bob Marsh", not "Bob Marsh, ".
import type { App } from '../app.ts';
import type { AgentRow } from '../store/agents.ts';
import type { TicketRow } from '../store/tickets.ts';
import { renderSnippet } from './templates.ts';

const DEFAULT_AGENT_SIGNATURE = '{{ agent.name }}{% if agent.title != blank %}, {{ agent.title }}{% endif %}\n{{ mailbox.name }}';

interface SigningMailbox {
  name: string;
  address: string;
}

export function renderSignature(app: App, agent: AgentRow, mailbox: SigningMailbox, ticket: Pick<TicketRow, 'number'>): string {
  const agentConfig = app.config.agents.find((a) => a.email === agent.email);
  const template = agentConfig?.signature ?? mailboxConfig(app, mailbox)?.signature ?? DEFAULT_AGENT_SIGNATURE;
  return renderTidy(app, template, { name: agent.name, title: agentConfig?.title ?? '' }, mailbox, ticket);
}

/** The sign-off of the mailbox's own mail: its signature template with no agent, else its display name. */
export function renderMailboxSignature(app: App, mailbox: SigningMailbox, ticket: Pick<TicketRow, 'number'>): string {
  const template = mailboxConfig(app, mailbox)?.signature;
  return (template && renderTidy(app, template, { name: '', title: '' }, mailbox, ticket)) || mailboxDisplayName(app, mailbox);
}

/** The name customers see for a mailbox: its configured displayName, else its name capitalised ("Support"). */
export function mailboxDisplayName(app: App, mailbox: Pick<SigningMailbox, 'name'>): string {
  return mailboxConfig(app, mailbox)?.displayName ?? mailbox.name.charAt(0).toUpperCase() + mailbox.name.slice(1);
}

function mailboxConfig(app: App, mailbox: Pick<SigningMailbox, 'name'>) {
  return app.config.mailboxes.find((m) => m.name === mailbox.name);
}

function renderTidy(app: App, template: string, agent: { name: string; title: string }, mailbox: SigningMailbox, ticket: Pick<TicketRow, 'number'>): string {
  const rendered = renderSnippet(template, {
    agent,
    ticket: { number: ticket.number },
    mailbox: { name: mailbox.name, address: mailbox.address, displayName: mailboxDisplayName(app, mailbox) },
    helpUrl: app.config.helpUrl ?? '',
  });
  return tidySignature(rendered);
}

/** Separators between a signature's values: a comma, semicolon, middle dot, bar, bullet, or a dash. */
const SEPARATOR = '[,;·|•–—-]';
const AT_ENDS = new RegExp(`^(\\s|${SEPARATOR})+|(\\s|${SEPARATOR})+$`, 'g');
const REPEATED = new RegExp(`(\\s*)(${SEPARATOR})(\\s*${SEPARATOR})+`, 'g');

/** Each line without separators at its ends or next to each other (what an empty value leaves); a line left empty goes. */
export function tidySignature(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const tidy = line.replace(REPEATED, '$1$2').replace(AT_ENDS, '');
      return tidy || !line.trim() ? [tidy] : [];
    })
    .join('\n')
    .trim();
}
