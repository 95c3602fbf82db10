// Which agents hear about a ticket: its assignee when there is an active one, else every active agent.
import type { App } from '../app.ts';
import { findAgentById, listActiveAgents, type AgentRow } from '../store/agents.ts';
import type { TicketRow } from '../store/tickets.ts';

export async function agentsToNotify(app: App, ticket: TicketRow): Promise<AgentRow[]> {
  const assignee = ticket.assigneeId ? await findAgentById(app.db, ticket.assigneeId) : undefined;
  return assignee?.active ? [assignee] : listActiveAgents(app.db);
}
