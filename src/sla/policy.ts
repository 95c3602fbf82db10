// Which SLA policy covers a ticket: the first configured policy whose conditions (mailbox, priority,
// VIP, ticket type) all hold. Its targets are turned into milliseconds of business time on its calendar.
import type { App } from '../app.ts';
import type { SlaPolicyConfig } from '../config/schema.ts';
import type { Priority, SlaTarget, TicketType } from '../store/schema.ts';
import { alwaysOpen, businessHoursCalendar, type BusinessCalendar } from './calendar.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface TicketFacts {
  mailbox: string;
  priority: Priority;
  vip: boolean;
  type: TicketType;
}

export interface SlaPolicy {
  /** Business milliseconds per target; a target without a number does not run. */
  targets: Partial<Record<SlaTarget, number>>;
  calendar: BusinessCalendar;
}

/** Used when no configured policy matches: the 24-hour promise, around the clock. */
const FALLBACK: SlaPolicyConfig = { firstResponseHours: 24, nextResponseHours: 24 };

export function matchesPolicy(policy: SlaPolicyConfig, facts: TicketFacts): boolean {
  return (
    (policy.mailbox === undefined || policy.mailbox === facts.mailbox) &&
    (policy.priority === undefined || policy.priority === facts.priority) &&
    (policy.vip === undefined || policy.vip === facts.vip) &&
    (policy.type === undefined || policy.type === facts.type)
  );
}

export function policyFor(app: App, facts: TicketFacts): SlaPolicy {
  const { sla } = app.config;
  const policy = sla.policies.find((p) => matchesPolicy(p, facts)) ?? FALLBACK;
  const calendarConfig = policy.calendar === undefined ? undefined : sla.calendars[policy.calendar];
  return {
    targets: {
      'first-response': policy.firstResponseHours * HOUR_MS,
      'next-response': policy.nextResponseHours * HOUR_MS,
      ...(policy.resolutionHours === undefined ? {} : { resolution: policy.resolutionHours * HOUR_MS }),
    },
    calendar: calendarConfig ? businessHoursCalendar(calendarConfig) : alwaysOpen,
  };
}
