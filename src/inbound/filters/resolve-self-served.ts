// A customer whose acknowledgement suggested answers may tell us one of them solved it: a short reply
// that is essentially "solved" / "thanks, that fixed it" / "已解决" / "问题解决了", or the mail of the
// acknowledgement's mailto link (subject "[#1042] solved <slug>"). The ticket is then resolved as
// self-served, recording which answer helped; the resolution stops the SLA clocks (sync-sla-clock).
// Only before an agent has answered: after that, the agent's answer is what solved it.
import { ticketTag } from '../../outbound/queue.ts';
import { recordEvent } from '../../store/events.ts';
import { suggestedFaqs } from '../../store/faq-matches.ts';
import { updateTicket } from '../../store/tickets.ts';
import { required, type CommitFilter } from '../context.ts';

// Politeness around the message, removed before it is compared.
const POLITE = /\b(?:thanks?(?: you)?(?: (?:so|very) much)?|many thanks|thx|great|perfect|ok(?:ay)?|cheers|all good)\b|谢谢(?:你们?|您)?|多谢|感谢|好的|太好了/g;
const SOLVED = new Set([
  'solved',
  'resolved',
  'fixed',
  'problem solved',
  'issue solved',
  'problem fixed',
  'issue fixed',
  'its solved',
  'it is solved',
  'its fixed',
  'it is fixed',
  'that solved it',
  'that fixed it',
  'this solved it',
  'this fixed it',
  'it works now',
  'works now',
  'sorted',
  '已解决',
  '解决了',
  '已经解决',
  '已经解决了',
  '问题解决了',
  '问题已解决',
  '问题已经解决了',
  '搞定了',
]);
/** A reply longer than this is more than "solved"; an agent should read it. */
const MAX_CHARS = 60;

export function saysSolved(text: string): boolean {
  if (text.length > MAX_CHARS) return false;
  const core = text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(POLITE, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return SOLVED.has(core);
}

/** The slug in the subject of the acknowledgement's link ("[#1042] solved reset-password"), '' for none, undefined when not such a subject. */
function linkedSlug(subject: string, tag: string): string | undefined {
  const link = /^solved(?:\s+([a-z0-9]+(?:-[a-z0-9]+)*))?$/i.exec(subject.replace(tag, '').trim());
  return link ? (link[1] ?? '').toLowerCase() : undefined;
}

export const resolveSelfServed: CommitFilter = {
  name: 'resolve-self-served',
  async run(ctx) {
    const { app } = ctx;
    if (ctx.quiet || ctx.messageKind !== 'customer' || required(ctx.thread, 'thread').action !== 'append') return;
    const ticket = required(ctx.ticket, 'ticket');
    if (ticket.firstResponseAt) return;
    const text = (ctx.visibleText ?? '').trim();
    const fromLink = linkedSlug(required(ctx.mail, 'mail').subject, ticketTag(app, ticket));
    const byLink = fromLink !== undefined && (text === '' || saysSolved(text));
    if (!byLink && !saysSolved(text)) return;
    const suggested = await suggestedFaqs(app.db, ticket.id);
    if (!suggested.length) return;
    const faq = fromLink && suggested.includes(fromLink) ? fromLink : suggested[0];
    const at = ctx.receivedAt;
    await recordEvent(app.db, ticket.id, 'status-changed', { from: ticket.status, to: 'resolved', reason: 'self-served' }, at);
    await recordEvent(app.db, ticket.id, 'self-served', { faq, by: byLink ? 'link' : 'reply' }, at);
    ctx.ticket = await updateTicket(app.db, ticket.id, { status: 'resolved', resolvedAt: at, updatedAt: at, resolution: 'self-served', selfServedFaq: faq });
  },
};
