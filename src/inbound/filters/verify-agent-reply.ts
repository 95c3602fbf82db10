// An agent's reply is relayed to a customer only when it came through the signed Reply-To address
// of a notification (the token binds ticket and agent) AND its From is that agent's registered
// address AND it does not thread into another ticket. Anything else from an agent's address (also when
// it says it is an auto-reply), or with a token, is quarantined as a security event before the
// transaction: it is never relayed, nor stored on a ticket.
import { inTransaction, type App } from '../../app.ts';
import { findReplyToken } from '../../outbound/tokens.ts';
import { findAgentByEmail, findAgentById } from '../../store/agents.ts';
import { recordEvent } from '../../store/events.ts';
import { findTicketIdByMessageIds } from '../../store/messages.ts';
import { findTicketById, findTicketByNumber } from '../../store/tickets.ts';
import { QuarantineMail, required, type MailContext, type PrepareFilter } from '../context.ts';
import type { NormalizedMail } from '../decode/decoded-mail.ts';
import { ticketNumberInSubject } from './thread.ts';
import { outboundDecisions } from './outbound-decisions.ts';

/** Where the mail was delivered to: visible recipients and the delivery headers MTAs add. */
function recipients(mail: NormalizedMail): string[] {
  const delivered = ['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => mail.headers.get(h) ?? []);
  return [...mail.to, ...mail.cc].map((a) => a.address).concat(delivered.map((v) => v.replace(/^<|>$/g, '').trim()));
}

/** The ticket the mail's own threading points at (References chain, then subject tag), if any. */
async function threadedTicketId(app: App, mail: NormalizedMail): Promise<number | undefined> {
  const chain = [...mail.references, ...(mail.inReplyTo ? [mail.inReplyTo] : [])];
  const byChain = await findTicketIdByMessageIds(app.db, chain);
  if (byChain !== undefined) return byChain;
  const tagged = ticketNumberInSubject(mail.subject, app.config.tickets.subjectTag);
  return tagged === undefined ? undefined : (await findTicketByNumber(app.db, tagged))?.id;
}

/** Records the refusal on the ticket (when there is one) and logs it; the caller throws what it returns. */
async function refusal(ctx: MailContext, reason: string, ticketId?: number): Promise<QuarantineMail> {
  const mail = required(ctx.mail, 'mail');
  if (ticketId !== undefined) {
    await inTransaction(ctx.app, async ({ db }) => {
      if (!(await findTicketById(db, ticketId))) return;
      await recordEvent(db, ticketId, 'security', { reason, from: mail.from.address, messageId: mail.messageId, source: ctx.source }, ctx.receivedAt);
    });
  }
  ctx.app.log.warn(`security: ${reason} (from ${mail.from.address}, ${ctx.source})`);
  return new QuarantineMail(`security: ${reason}`);
}

export const verifyAgentReply: PrepareFilter = {
  name: 'verify-agent-reply',
  async run(ctx) {
    const { app } = ctx;
    const mail = required(ctx.mail, 'mail');
    const human = required(ctx.classification, 'classification').kind === 'human';
    const check = findReplyToken(app.secret, ctx.mailbox.address, recipients(mail));
    const fromAgent = await findAgentByEmail(app.db, mail.from.address);
    if (!check) {
      // Whatever its headers say: Auto-Submitted or Precedence is as easy to forge as From, so only the
      // token lets an agent's mail (even an out-of-office) onto a ticket. Imported history (quiet) is
      // only stored, so an agent's old mail there is no threat.
      if (fromAgent?.active && !ctx.quiet) throw await refusal(ctx, `mail from agent address ${mail.from.address} without a reply token`, await threadedTicketId(app, mail));
      return;
    }
    if (check.status === 'invalid') throw await refusal(ctx, check.reason, await threadedTicketId(app, mail));
    const { ticketId, agentId } = check.token;
    const agent = await findAgentById(app.db, agentId);
    if (!agent?.active || agent.email !== mail.from.address) {
      throw await refusal(ctx, `reply token of ${agent?.email ?? `agent ${agentId}`} used by ${mail.from.address}`, ticketId);
    }
    if (!(await findTicketById(app.db, ticketId))) throw await refusal(ctx, `reply token of a ticket that does not exist (${ticketId})`);
    const threaded = await threadedTicketId(app, mail);
    if (threaded !== undefined && threaded !== ticketId) throw await refusal(ctx, `reply token of ticket id ${ticketId} on a mail that belongs to ticket id ${threaded}`, ticketId);
    outboundDecisions(ctx).agentReply = { agent, ticketId, human, text: '', commands: [], commandErrors: [] };
  },
};
