// What the agents' notification of a new complaint says about it: the words found, and when the
// customer will be asked whether everything still works (null when complaints get no follow-up).
import type { App } from '../app.ts';

export function complaintNotice(app: App, complaint: { matched: string[] } | undefined) {
  if (!complaint) return null;
  const { followUp } = app.config;
  return { matched: complaint.matched, followUpDays: followUp.types.includes('complaint') ? followUp.afterDays : null };
}
