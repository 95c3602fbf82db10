// A new ticket whose first mail reads as a complaint (../../complaints/detect.ts) becomes a ticket
// of type complaint: its own SLA policy (start-sla-clock comes after), a flagged notification and a
// follow-up after it is resolved. The words found are recorded on the ticket.
import type { App } from '../../app.ts';
import { complaintMatcher, type ComplaintMatcher } from '../../complaints/detect.ts';
import { recordEvent } from '../../store/events.ts';
import { updateTicket } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

const matchers = new WeakMap<App, ComplaintMatcher>();

function matcherFor(app: App): ComplaintMatcher {
  let matcher = matchers.get(app);
  if (!matcher) matchers.set(app, (matcher = complaintMatcher(app.config.complaints)));
  return matcher;
}

export const detectComplaint: CommitFilter = {
  name: 'detect-complaint',
  async run(ctx) {
    if (ctx.messageKind !== 'customer' || ctx.quiet || required(ctx.thread, 'thread').action !== 'create') return;
    if (required(ctx.classification, 'classification').kind !== 'human') return;
    const mail = required(ctx.mail, 'mail');
    // The visible text only: a complaint quoted from an earlier mail is not this mail's.
    const matched = matcherFor(ctx.app)(`${mail.subject}\n${ctx.visibleText ?? ''}`);
    if (!matched.length) return;
    const ticket = required(ctx.ticket, 'ticket');
    ctx.ticket = await updateTicket(ctx.app.db, ticket.id, { type: 'complaint' });
    ctx.complaint = { matched };
    await recordEvent(ctx.app.db, ticket.id, 'complaint-detected', { matched, messageId: mail.messageId }, ctx.receivedAt);
  },
};
