// "How did we do?": the block that asks for a rating, in the customer's language, with five mailto
// links whose subject names the ticket and the score (`[#1042] rating 4`, `[#1042] 评分 4`), so one
// click and Send rates the ticket (see rating-reply.ts). It goes into the mail that resolves a
// ticket: the agent's answer, or the resolved mail when the agent resolved without one.
import type { App } from '../app.ts';
import { languageOf } from '../outbound/language.ts';
import { ticketTag } from '../outbound/queue.ts';
import { renderTemplate } from '../outbound/templates.ts';
import { findCustomerById } from '../store/customers.ts';
import { sendingMailbox } from '../store/outgoing-queries.ts';
import type { TicketRow } from '../store/tickets.ts';
import { RATING_SUBJECT_WORDS } from './rating-reply.ts';

export interface SatisfactionSurvey {
  text: string;
  html: string;
}

export const SCORES = [1, 2, 3, 4, 5] as const;

export async function satisfactionSurvey(app: App, ticket: TicketRow): Promise<SatisfactionSurvey> {
  const language = languageOf(app, await findCustomerById(app.db, ticket.customerId));
  const address = (await sendingMailbox(app.db, ticket.mailboxId))!.address;
  const tag = ticketTag(app, ticket);
  const links = SCORES.map((score) => ({ score, url: `mailto:${address}?subject=${encodeURIComponent(`${tag} ${RATING_SUBJECT_WORDS[language]} ${score}`)}` }));
  const { text, html } = renderTemplate(app, 'satisfaction-survey', language, { links, ticket: { number: ticket.number, tag } });
  return { text: text.trimEnd(), html };
}
