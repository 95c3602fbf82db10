// Customer satisfaction (CSAT) in the report: of the tickets resolved in the period, how many were
// rated (response rate) and the share of ratings 4–5 (CSAT), in total and per agent. A ticket counts
// for the agent whose #close/#resolve resolved it last: that agent finished the work the customer
// rates. A rating given later still counts for the period its ticket was resolved in, so the
// response rate stays a share of the same tickets.
import type { App } from '../app.ts';
import { findAgentByEmail } from '../store/agents.ts';
import { ratingsOfTicketsResolvedBetween, type RatingCount } from '../store/rating-queries.ts';
import type { Period } from './period.ts';

export interface Satisfaction {
  resolved: number;
  rated: number;
  satisfied: number;
  /** rated / resolved; null when nothing was resolved. */
  responseRatePercent: number | null;
  /** satisfied / rated; null when nothing was rated. */
  csatPercent: number | null;
  averageRating: number | null;
}

export interface SatisfactionFigures {
  total: Satisfaction;
  /** By the resolving agent's address; `none` for tickets no agent resolved (self-served). */
  byAgent: Record<string, Satisfaction>;
}

/** The byAgent key of tickets that no agent resolved. */
export const NO_AGENT = 'none';

function satisfactionOf(counts: RatingCount[]): Satisfaction {
  const resolved = counts.reduce((n, c) => n + c.resolved, 0);
  const rated = counts.reduce((n, c) => n + c.rated, 0);
  const satisfied = counts.reduce((n, c) => n + c.satisfied, 0);
  const ratingSum = counts.reduce((n, c) => n + c.ratingSum, 0);
  return {
    resolved,
    rated,
    satisfied,
    responseRatePercent: resolved ? (100 * rated) / resolved : null,
    csatPercent: rated ? (100 * satisfied) / rated : null,
    averageRating: rated ? ratingSum / rated : null,
  };
}

export async function satisfactionFigures(app: App, period: Period): Promise<SatisfactionFigures> {
  const counts = await ratingsOfTicketsResolvedBetween(app.db, period.start, period.end);
  // Only an agent's address names an agent; anything else (a customer who self-served) is no agent.
  const agentAddresses = new Set<string>();
  for (const address of new Set(counts.flatMap((c) => (c.resolvedBy ? [c.resolvedBy] : [])))) {
    if (await findAgentByEmail(app.db, address)) agentAddresses.add(address);
  }
  const agentOf = (c: RatingCount) => (c.resolvedBy && agentAddresses.has(c.resolvedBy) ? c.resolvedBy : NO_AGENT);
  const agents = [...new Set(counts.map(agentOf))].sort();
  return {
    total: satisfactionOf(counts),
    byAgent: Object.fromEntries(agents.map((agent) => [agent, satisfactionOf(counts.filter((c) => agentOf(c) === agent))])),
  };
}

/** The agents' names for the addresses the report's periods name. */
export async function agentNames(app: App, figures: SatisfactionFigures[]): Promise<Record<string, string>> {
  const addresses = [...new Set(figures.flatMap((f) => Object.keys(f.byAgent)))].filter((a) => a !== NO_AGENT).sort();
  const names: Record<string, string> = {};
  for (const a of addresses) names[a] = (await findAgentByEmail(app.db, a))?.name ?? a;
  return names;
}
