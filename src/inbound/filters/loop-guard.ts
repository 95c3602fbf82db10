// The loop guard's verdict on a mail: no automatic answer to robots (RFC 3834 classification,
// bounces, lists, our own mail), at most outbound.maxAutoMailsPerHour automatic mails per sender and
// outbound.maxAutoMailsPerDomainPerHour per sender domain. A sender counts as one whatever the case
// and `+tag` of its address: a robot answering from burst+1@, burst+2@, ... is one robot.
import { AUTOMATIC_CUSTOMER_KINDS } from '../../outbound/queue.ts';
import { domainOf } from '../../outbound/tokens.ts';
import { recentRecipients } from '../../store/outbox.ts';
import { required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

const HOUR_MS = 60 * 60 * 1000;

/** The address a rate limit counts: lower case, without the `+tag` of its local part. */
export function rateLimitAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).replace(/\+.*$/, '');
  return `${local}${address.slice(at)}`.toLowerCase();
}

export const loopGuard: CommitFilter = {
  name: 'loop-guard',
  run(ctx) {
    const { db, config } = ctx.app;
    const mail = required(ctx.mail, 'mail');
    const classification = required(ctx.classification, 'classification');
    const verdict = outboundDecisions(ctx).noAutoReply;
    if (classification.kind !== 'human') verdict.push(`${classification.kind}: ${classification.reasons.join('; ')}`);
    const recent = recentRecipients(db, AUTOMATIC_CUSTOMER_KINDS, new Date(ctx.app.now().getTime() - HOUR_MS));
    const sender = rateLimitAddress(mail.from.address);
    const domain = domainOf(sender);
    const toSender = recent.filter((r) => rateLimitAddress(r) === sender).length;
    const toDomain = recent.filter((r) => domainOf(r) === domain).length;
    const { maxAutoMailsPerHour, maxAutoMailsPerDomainPerHour } = config.outbound;
    if (toSender >= maxAutoMailsPerHour) verdict.push(`rate limit: ${toSender} automatic mails to ${sender} in the last hour (outbound.maxAutoMailsPerHour ${maxAutoMailsPerHour})`);
    if (toDomain >= maxAutoMailsPerDomainPerHour) {
      verdict.push(`rate limit: ${toDomain} automatic mails to addresses at ${domain} in the last hour (outbound.maxAutoMailsPerDomainPerHour ${maxAutoMailsPerDomainPerHour})`);
    }
  },
};
