// Who hears about a ticket at risk: its assignee, or every active agent while nobody owns it;
// a breach also goes to the leads (sla.leads and agents configured with `lead: true`).
import type { App } from '../app.ts';
import { findAgentById, listActiveAgents } from '../store/agents.ts';
import type { TicketRow } from '../store/tickets.ts';

export function owners(app: App, ticket: TicketRow): string[] {
  const assignee = ticket.assigneeId ? findAgentById(app.db, ticket.assigneeId) : undefined;
  return assignee?.active ? [assignee.email] : listActiveAgents(app.db).map((a) => a.email);
}

export function leads(app: App): string[] {
  return [...new Set([...app.config.sla.leads, ...app.config.agents.filter((a) => a.lead).map((a) => a.email)])];
}

export function breachRecipients(app: App, ticket: TicketRow): string[] {
  return [...new Set([...owners(app, ticket), ...leads(app)])];
}
