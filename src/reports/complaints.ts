// The complaints of a period and their outcome: how many came in, how many are resolved and how long
// that took (median), how many got the follow-up, and how many customers answered it or reopened.
import type { Db } from '../store/db.ts';
import { complaintsCreatedBetween } from '../store/complaint-queries.ts';
import { percentile } from './percentile.ts';
import type { Period } from './period.ts';

export interface ComplaintFigures {
  received: number;
  resolved: number;
  /** Milliseconds from receipt to the (last) resolution, over the resolved ones. */
  resolveMedianMs: number | null;
  followUpsSent: number;
  followUpsAnswered: number;
  reopened: number;
}

export async function complaintFigures(db: Db, period: Period): Promise<ComplaintFigures> {
  const complaints = await complaintsCreatedBetween(db, period.start, period.end);
  const times = complaints.flatMap((c) => (c.resolvedAt ? [c.resolvedAt.getTime() - c.createdAt.getTime()] : [])).sort((a, b) => a - b);
  return {
    received: complaints.length,
    resolved: times.length,
    resolveMedianMs: percentile(times, 0.5),
    followUpsSent: complaints.filter((c) => c.followUpSentAt).length,
    followUpsAnswered: complaints.filter((c) => c.answered).length,
    reopened: complaints.filter((c) => c.reopened).length,
  };
}
