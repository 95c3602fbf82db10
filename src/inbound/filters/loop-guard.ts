// The loop guard's verdict on a mail: no automatic answer to robots (RFC 3834 classification,
// bounces, lists, our own mail) and at most outbound.maxAutoMailsPerHour automatic mails per sender.
import { AUTOMATIC_CUSTOMER_KINDS } from '../../outbound/queue.ts';
import { countRecentOutbox } from '../../store/outbox.ts';
import { required, type CommitFilter } from '../context.ts';
import { outboundDecisions } from './outbound-decisions.ts';

const HOUR_MS = 60 * 60 * 1000;

export const loopGuard: CommitFilter = {
  name: 'loop-guard',
  run(ctx) {
    const { db, config } = ctx.app;
    const mail = required(ctx.mail, 'mail');
    const classification = required(ctx.classification, 'classification');
    const verdict = outboundDecisions(ctx).noAutoReply;
    if (classification.kind !== 'human') verdict.push(`${classification.kind}: ${classification.reasons.join('; ')}`);
    const limit = config.outbound.maxAutoMailsPerHour;
    const recent = countRecentOutbox(db, mail.from.address, AUTOMATIC_CUSTOMER_KINDS, new Date(ctx.app.now().getTime() - HOUR_MS));
    if (recent >= limit) verdict.push(`rate limit: ${recent} automatic mails to ${mail.from.address} in the last hour (outbound.maxAutoMailsPerHour ${limit})`);
  },
};
