// Email commands: lines at the top of an agent's reply that start with `#`. They are removed from
// the text the customer gets. Parsing only: the relay filter applies them.
import { PRIORITIES, type Priority, type TicketStatus } from '../store/schema.ts';
import type { AgentRow } from '../store/agents.ts';

export type AgentCommand =
  | { name: 'note' }
  | { name: 'status'; status: Extract<TicketStatus, 'resolved' | 'pending' | 'open'> }
  | { name: 'assign'; agent: AgentRow }
  | { name: 'priority'; priority: Priority }
  | { name: 'faq'; slug: string; title: string; url: string };

export interface CommandLookups {
  /** An active agent by address or (case-insensitive) name. */
  findAgent(query: string): AgentRow | undefined;
  /** The title and public link of an FAQ answer, when the slug exists. */
  findFaq(slug: string): { title: string; url: string } | undefined;
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
export function parseAgentReply(text: string, lookups: CommandLookups): ParsedReply {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const commands: AgentCommand[] = [];
  const errors: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (!line.startsWith('#')) break;
    const result = parseCommandLine(line, lookups);
    if (typeof result === 'string') errors.push(`${line}: ${result}`);
    else commands.push(result);
  }
  return { commands, errors, body: lines.slice(i).join('\n').trim() };
}

function parseCommandLine(line: string, lookups: CommandLookups): AgentCommand | string {
  const [word, ...rest] = line.slice(1).trim().split(/\s+/);
  const name = (word ?? '').toLowerCase();
  const arg = rest.join(' ');
  if (name === 'note') return arg ? 'takes no argument' : { name: 'note' };
  if (name in STATUS_COMMANDS) return arg ? 'takes no argument' : { name: 'status', status: STATUS_COMMANDS[name] };
  if (name === 'assign') {
    if (!arg) return 'needs an agent email or name';
    const agent = lookups.findAgent(arg);
    return agent ? { name: 'assign', agent } : `no active agent "${arg}"`;
  }
  if (name === 'priority') {
    const priority = arg.toLowerCase() as Priority;
    return PRIORITIES.includes(priority) ? { name: 'priority', priority } : `must be one of ${PRIORITIES.join(', ')}`;
  }
  if (name === 'faq') {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(arg)) return 'needs an FAQ slug like reset-password';
    const faq = lookups.findFaq(arg);
    return faq ? { name: 'faq', slug: arg, ...faq } : `no FAQ answer "${arg}"`;
  }
  return 'unknown command';
}
