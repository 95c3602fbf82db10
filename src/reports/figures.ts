// The figures of one period: tickets created and resolved, first-response time (median, p90),
// SLA met % and breaches, in total and by mailbox and by priority; the complaints and their outcome.
import type { App } from '../app.ts';
import {
  slaOutcomesBetween,
  ticketsCreatedBetween,
  ticketsResolvedBetween,
  type CreatedTicket,
  type GroupCount,
  type SlaOutcomeCount,
  type TicketGroupKey,
} from '../store/report-queries.ts';
import { complaintFigures, type ComplaintFigures } from './complaints.ts';
import { percentile } from './percentile.ts';
import type { Period } from './period.ts';
import { satisfactionFigures, type SatisfactionFigures } from './satisfaction.ts';

export interface Figures {
  created: number;
  resolved: number;
  /** Milliseconds from receipt to the first human reply, over tickets created in the period and answered. */
  firstResponseMedianMs: number | null;
  firstResponseP90Ms: number | null;
  slaMet: number;
  breaches: number;
  /** null when no target was decided in the period. */
  slaMetPercent: number | null;
}

export interface PeriodFigures {
  period: Period;
  total: Figures;
  byMailbox: Record<string, Figures>;
  byPriority: Record<string, Figures>;
  complaints: ComplaintFigures;
  satisfaction: SatisfactionFigures;
}

export function slaMetPercent(met: number, breached: number): number | null {
  return met + breached ? (100 * met) / (met + breached) : null;
}

interface Facts {
  created: CreatedTicket[];
  resolved: GroupCount[];
  outcomes: SlaOutcomeCount[];
}

const sum = <T>(rows: T[], value: (r: T) => number) => rows.reduce((n, r) => n + value(r), 0);

function figuresOf(facts: Facts): Figures {
  const times = facts.created.flatMap((t) => (t.firstResponseMs === null ? [] : [t.firstResponseMs])).sort((a, b) => a - b);
  const slaMet = sum(facts.outcomes, (o) => o.met);
  const breaches = sum(facts.outcomes, (o) => o.breached);
  return {
    created: facts.created.length,
    resolved: sum(facts.resolved, (r) => r.n),
    firstResponseMedianMs: percentile(times, 0.5),
    firstResponseP90Ms: percentile(times, 0.9),
    slaMet,
    breaches,
    slaMetPercent: slaMetPercent(slaMet, breaches),
  };
}

function groupedFigures(facts: Facts, keyOf: (g: TicketGroupKey) => string): Record<string, Figures> {
  const keys = new Set([...facts.created, ...facts.resolved, ...facts.outcomes].map(keyOf));
  const only = <T extends TicketGroupKey>(rows: T[], key: string) => rows.filter((r) => keyOf(r) === key);
  return Object.fromEntries(
    [...keys]
      .sort()
      .map((key) => [key, figuresOf({ created: only(facts.created, key), resolved: only(facts.resolved, key), outcomes: only(facts.outcomes, key) })]),
  );
}

export async function periodFigures(app: App, period: Period, created?: CreatedTicket[]): Promise<PeriodFigures> {
  const facts: Facts = {
    created: created ?? (await ticketsCreatedBetween(app.db, period.start, period.end)),
    resolved: await ticketsResolvedBetween(app.db, period.start, period.end),
    outcomes: await slaOutcomesBetween(app.db, period.start, period.end, app.now()),
  };
  const mailboxName = (g: TicketGroupKey) => app.mailboxes.find((m) => m.id === g.mailboxId)?.name ?? `mailbox ${g.mailboxId}`;
  return {
    period,
    total: figuresOf(facts),
    byMailbox: groupedFigures(facts, mailboxName),
    byPriority: groupedFigures(facts, (g) => g.priority),
    complaints: await complaintFigures(app.db, period),
    satisfaction: await satisfactionFigures(app, period),
  };
}
