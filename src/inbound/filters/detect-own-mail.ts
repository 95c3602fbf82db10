// Loop detection: mail that we sent ourselves (our signed Message-ID, our domain in its Message-ID,
// our X-Loop header, our own address as sender) is classified `loop`: it is stored, never answered.
import type { App } from '../../app.ts';
import { domainOf, verifyMessageId } from '../../outbound/tokens.ts';
import { required, type PrepareFilter } from '../context.ts';
import type { NormalizedMail } from '../decode/decoded-mail.ts';

export function ownMailReasons(app: App, mail: NormalizedMail): string[] {
  const ours = new Set(app.mailboxes.map((m) => m.address));
  const domains = new Set(app.mailboxes.map((m) => domainOf(m.address)));
  const reasons: string[] = [];
  if (verifyMessageId(app.secret, mail.messageId) !== undefined) reasons.push(`Message-ID <${mail.messageId}> carries our signed token`);
  // Our domain in the Message-ID of mail from elsewhere; a colleague on our domain (an internal help
  // desk) may have a mail client that names Message-IDs after the sender's domain.
  else if (domains.has(domainOf(mail.messageId)) && !domains.has(domainOf(mail.from.address))) reasons.push(`Message-ID <${mail.messageId}> is on our own domain`);
  const xLoop = (mail.headers.get('x-loop') ?? []).map((v) => v.toLowerCase());
  if (xLoop.some((v) => [...ours].some((address) => v.includes(address)))) reasons.push(`X-Loop: ${xLoop.join(', ')}`);
  if (ours.has(mail.from.address)) reasons.push(`From: our own address ${mail.from.address}`);
  return reasons;
}

export const detectOwnMail: PrepareFilter = {
  name: 'detect-own-mail',
  run(ctx) {
    const classification = required(ctx.classification, 'classification');
    const reasons = ownMailReasons(ctx.app, required(ctx.mail, 'mail'));
    if (!reasons.length) return;
    // A bounce stays a bounce (it may come from our own MTA): the bounce filter attaches it to its ticket.
    const kind = classification.kind === 'bounce' ? 'bounce' : 'loop';
    ctx.classification = { kind, reasons: [...classification.reasons, ...reasons] };
  },
};
