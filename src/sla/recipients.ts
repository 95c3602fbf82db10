// Who hears about a ticket at risk: its assignee, or every active agent while nobody owns it;
// a breach also goes to the leads (sla.leads and agents configured with `lead: true`).
import type { App } from '../app.ts';
import { findAgentById, listActiveAgents } from '../store/agents.ts';
import type { TicketRow } from '../store/tickets.ts';

export async function owners(app: App, ticket: TicketRow): Promise<string[]> {
  const assignee = ticket.assigneeId ? await findAgentById(app.db, ticket.assigneeId) : undefined;
  return assignee?.active ? [assignee.email] : (await listActiveAgents(app.db)).map((a) => a.email);
}

export function leads(app: App): string[] {
  return [...new Set([...app.config.sla.leads, ...app.config.agents.filter((a) => a.lead).map((a) => a.email)])];
}

export async function breachRecipients(app: App, ticket: TicketRow): Promise<string[]> {
  return [...new Set([...(await owners(app, ticket)), ...leads(app)])];
}
