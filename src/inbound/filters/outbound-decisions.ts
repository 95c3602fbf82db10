// What the outbound-related filters decide about one mail, handed from filter to filter
// (the loop guard's verdict, a verified agent reply and its commands) without widening MailContext.
import type { MailContext } from '../context.ts';
import type { AgentRow } from '../../store/agents.ts';
import type { AgentCommand } from '../../outbound/commands.ts';

export interface AgentReply {
  agent: AgentRow;
  /** The ticket the reply token names. */
  ticketId: number;
  /** False for the agent's own auto-reply (out-of-office): kept on the ticket, never relayed. */
  human: boolean;
  /** The reply as the agent wrote it: quoted history and the agent's mail signature removed. */
  text: string;
  commands: AgentCommand[];
  /** Malformed or unknown commands: nothing goes to the customer, the agent is told. */
  commandErrors: string[];
}

export interface OutboundDecisions {
  /** Why no automatic mail may answer this mail (empty: it may). */
  noAutoReply: string[];
  /** Set for a mail by an agent through a verified reply token. */
  agentReply?: AgentReply;
}

const decisions = new WeakMap<MailContext, OutboundDecisions>();

export function outboundDecisions(ctx: MailContext): OutboundDecisions {
  let found = decisions.get(ctx);
  if (!found) {
    found = { noAutoReply: [] };
    decisions.set(ctx, found);
  }
  return found;
}
