// Email commands: lines at the top of an agent's reply that start with `#`. They are removed from
// the text the customer gets. Parsed before the mail's transaction, applied inside it.
import type { App } from '../app.ts';
import { customerStage, setCustomerStage } from '../customers/stage.ts';
import type { AgentRow } from '../store/agents.ts';
import { findCustomerById } from '../store/customers.ts';
import { recordEvent } from '../store/events.ts';
import { CUSTOMER_STAGES, PRIORITIES, TICKET_TYPES, type CustomerStage, type Priority, type TicketStatus, type TicketType } from '../store/schema.ts';
import { updateTicket, type TicketRow } from '../store/tickets.ts';

export type AgentCommand =
  | { name: 'note' }
  | { name: 'status'; status: Extract<TicketStatus, 'resolved' | 'pending' | 'open'> }
  | { name: 'assign'; agent: AgentRow }
  | { name: 'priority'; priority: Priority }
  | { name: 'type'; type: TicketType }
  | { name: 'faq'; slug: string; title: string; url: string; answer: string }
  /** The customer's stage; null hands it back to the configuration and the tickets (`#stage auto`). */
  | { name: 'stage'; stage: CustomerStage | null };

export interface CommandLookups {
  /** An active agent by address or (case-insensitive) name. */
  findAgent(query: string): Promise<AgentRow | undefined>;
  /** The question, public link and answer text of an FAQ entry, when the slug exists. */
  findFaq(slug: string): Promise<{ title: string; url: string; answer: string } | undefined>;
}

export interface ParsedReply {
  commands: AgentCommand[];
  errors: string[];
  /** The reply without its command lines. */
  body: string;
}

const STATUS_COMMANDS: Record<string, Extract<AgentCommand, { name: 'status' }>['status']> = {
  close: 'resolved',
  resolve: 'resolved',
  pending: 'pending',
  open: 'open',
};

/** Reads the `#command` lines at the top of a reply (blank lines between them are allowed). */
export async function parseAgentReply(text: string, lookups: CommandLookups): Promise<ParsedReply> {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const commands: AgentCommand[] = [];
  const errors: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (!line.startsWith('#')) break;
    const result = await parseCommandLine(line, lookups);
    if (typeof result === 'string') errors.push(`${line}: ${result}`);
    else commands.push(result);
  }
  return { commands, errors, body: lines.slice(i).join('\n').trim() };
}

async function parseCommandLine(line: string, lookups: CommandLookups): Promise<AgentCommand | string> {
  const [word, ...rest] = line.slice(1).trim().split(/\s+/);
  const name = (word ?? '').toLowerCase();
  const arg = rest.join(' ');
  if (name === 'note') return arg ? 'takes no argument' : { name: 'note' };
  if (name in STATUS_COMMANDS) return arg ? 'takes no argument' : { name: 'status', status: STATUS_COMMANDS[name] };
  if (name === 'assign') {
    if (!arg) return 'needs an agent email or name';
    const agent = await lookups.findAgent(arg);
    return agent ? { name: 'assign', agent } : `no active agent "${arg}"`;
  }
  if (name === 'priority') {
    const priority = arg.toLowerCase() as Priority;
    return PRIORITIES.includes(priority) ? { name: 'priority', priority } : `must be one of ${PRIORITIES.join(', ')}`;
  }
  if (name === 'type') {
    const type = arg.toLowerCase() as TicketType;
    return TICKET_TYPES.includes(type) ? { name: 'type', type } : `must be one of ${TICKET_TYPES.join(', ')}`;
  }
  if (name === 'stage') {
    const stage = arg.toLowerCase();
    if (stage === 'auto') return { name: 'stage', stage: null };
    return (CUSTOMER_STAGES as readonly string[]).includes(stage) ? { name: 'stage', stage: stage as CustomerStage } : `must be one of ${[...CUSTOMER_STAGES, 'auto'].join(', ')}`;
  }
  if (name === 'faq') {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(arg)) return 'needs an FAQ slug like reset-password';
    const faq = await lookups.findFaq(arg);
    return faq ? { name: 'faq', slug: arg, ...faq } : `no FAQ answer "${arg}"`;
  }
  return 'unknown command';
}

/** Applies the ticket-changing commands (status, assignee, priority, type) and the customer's stage, and records each change. */
export async function applyAgentCommands(app: App, ticket: TicketRow, commands: AgentCommand[], by: AgentRow): Promise<TicketRow> {
  const at = app.now();
  let current = ticket;
  for (const command of commands) {
    if (command.name === 'status' && command.status !== current.status) {
      const resolvedAt = command.status === 'resolved' ? at : null;
      await recordEvent(app.db, ticket.id, 'status-changed', { from: current.status, to: command.status, by: by.email, reason: 'email command' }, at);
      current = await updateTicket(app.db, ticket.id, { status: command.status, resolvedAt, updatedAt: at });
    } else if (command.name === 'assign' && command.agent.id !== current.assigneeId) {
      await recordEvent(app.db, ticket.id, 'assigned', { to: command.agent.email, by: by.email }, at);
      current = await updateTicket(app.db, ticket.id, { assigneeId: command.agent.id, updatedAt: at });
    } else if (command.name === 'priority' && command.priority !== current.priority) {
      await recordEvent(app.db, ticket.id, 'priority-changed', { from: current.priority, to: command.priority, by: by.email }, at);
      current = await updateTicket(app.db, ticket.id, { priority: command.priority, updatedAt: at });
    } else if (command.name === 'type' && command.type !== current.type) {
      // A complaint recognised wrongly, or one the words missed: the clocks follow the type's policy.
      await recordEvent(app.db, ticket.id, 'type-changed', { from: current.type, to: command.type, by: by.email }, at);
      current = await updateTicket(app.db, ticket.id, { type: command.type, updatedAt: at });
    } else if (command.name === 'stage') {
      // The ticket keeps the stage it opened with; the customer's changes from now on.
      const customer = (await findCustomerById(app.db, ticket.customerId))!;
      const from = (await customerStage(app, customer)).stage;
      const { stage } = await setCustomerStage(app, customer, command.stage, 'agent');
      await recordEvent(app.db, ticket.id, 'stage-changed', { from, to: stage, by: by.email }, at);
    }
  }
  return current;
}
