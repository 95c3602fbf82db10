// The loop guard's verdict on a mail: no automatic answer to robots (RFC 3834 classification,
// bounces, lists, our own mail), at most outbound.maxAutoMailsPerHour automatic mails per sender and
// outbound.maxAutoMailsPerDomainPerHour per sender domain. A sender counts as one whatever the case
// and `+tag` of its address: a robot answering from burst+1@, burst+2@, ... is one robot.
import { AUTOMATIC_CUSTOMER_KINDS } from '../../outbound/queue.ts';
import { domainOf } from '../../outbound/tokens.ts';
import { countRecentToAddress, countRecentToDomain } from '../../store/outbox.ts';
import { required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

const HOUR_MS = 60 * 60 * 1000;

/** The address a rate limit counts, as local part and domain: lower case, without the `+tag`. */
export function rateLimitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at).replace(/\+.*$/, '').toLowerCase(), domain: domainOf(address) };
}

export const loopGuard: CommitFilter = {
  name: 'loop-guard',
  async run(ctx) {
    const { db, config } = ctx.app;
    const mail = required(ctx.mail, 'mail');
    const classification = required(ctx.classification, 'classification');
    const verdict = outboundDecisions(ctx).noAutoReply;
    if (classification.kind !== 'human') verdict.push(`${classification.kind}: ${classification.reasons.join('; ')}`);
    const since = new Date(ctx.app.now().getTime() - HOUR_MS);
    const { local, domain } = rateLimitAddress(mail.from.address);
    const sender = `${local}@${domain}`;
    const toSender = await countRecentToAddress(db, local, domain, AUTOMATIC_CUSTOMER_KINDS, since);
    const toDomain = await countRecentToDomain(db, domain, AUTOMATIC_CUSTOMER_KINDS, since);
    const { maxAutoMailsPerHour, maxAutoMailsPerDomainPerHour } = config.outbound;
    if (toSender >= maxAutoMailsPerHour) verdict.push(`rate limit: ${toSender} automatic mails to ${sender} in the last hour (outbound.maxAutoMailsPerHour ${maxAutoMailsPerHour})`);
    if (toDomain >= maxAutoMailsPerDomainPerHour) {
      verdict.push(`rate limit: ${toDomain} automatic mails to addresses at ${domain} in the last hour (outbound.maxAutoMailsPerDomainPerHour ${maxAutoMailsPerDomainPerHour})`);
    }
  },
};
