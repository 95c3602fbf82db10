// A customer's new ticket is searched in the FAQ (the help center's own search), in the customer's
// language, preferring the customer's stage. Every match is recorded (faq_matches: `faq stats`,
// `faq gaps`); the confident ones go into the acknowledgement, all of them into the agents' notice.
import type { App } from '../../app.ts';
import { faqCatalog, faqExcerpt, faqUrl } from '../../outbound/faq-answers.ts';
import { detectLanguage, isLanguage } from '../../outbound/language.ts';
import { ticketTag } from '../../outbound/queue.ts';
import { matchAnswers, ticketQuery } from '../../search/suggest.ts';
import { findCustomerById, type CustomerRow } from '../../store/customers.ts';
import { recordEvent } from '../../store/events.ts';
import { recordFaqMatches } from '../../store/faq-matches.ts';
import { getMailbox } from '../../store/mailboxes.ts';
import type { TicketRow } from '../../store/tickets.ts';
import { required, type CommitFilter, type FaqMatchView } from '../context.ts';

/** The language the acknowledgement will be in: the stored one, else the one this mail is written in. */
function replyLanguage(app: App, customer: CustomerRow, text: string) {
  return isLanguage(customer.language) ? customer.language : (detectLanguage(text) ?? app.config.language);
}

/** The mailto link that tells us, with one click, that an answer solved it. */
async function solvedLinkFor(app: App, ticket: TicketRow): Promise<(slug: string) => string> {
  const address = (await getMailbox(app.db, ticket.mailboxId))!.address;
  const tag = ticketTag(app, ticket);
  return (slug) => `mailto:${address}?subject=${encodeURIComponent(`${tag} solved ${slug}`)}`;
}

export const suggestAnswers: CommitFilter = {
  name: 'suggest-answers',
  async run(ctx) {
    const { app } = ctx;
    const { enabled, threshold } = app.config.suggestions;
    if (!enabled || ctx.messageKind !== 'customer' || required(ctx.thread, 'thread').action !== 'create') return;
    const ticket = required(ctx.ticket, 'ticket');
    const customer = (await findCustomerById(app.db, ticket.customerId))!;
    let catalog;
    try {
      catalog = faqCatalog();
    } catch (err) {
      // A help desk without a (valid) FAQ still takes mail; the ticket says why nothing was suggested.
      await recordEvent(app.db, ticket.id, 'faq-search-unavailable', { reason: (err as Error).message.replace(/\n\s*/g, ' ') }, ctx.receivedAt);
      return;
    }
    const query = ticketQuery(required(ctx.mail, 'mail').subject, ctx.visibleText || ctx.text || '');
    const language = replyLanguage(app, customer, query);
    const stage = ticket.customerStage ?? customer.stage;
    const matches = matchAnswers(catalog.index(language), query, { threshold, prefer: (m) => m.stage === stage });
    await recordFaqMatches(app.db, ticket.id, language, matches.map((m) => ({ slug: m.meta.slug, score: m.confidence, rank: m.rank, suggested: m.suggested })), ctx.receivedAt);
    const helpUrl = app.config.helpUrl;
    const solvedLink = await solvedLinkFor(app, ticket);
    ctx.faqMatches = matches.map((m): FaqMatchView => {
      const entry = catalog.entry(m.meta.slug, language)!;
      return {
        slug: m.meta.slug,
        question: m.meta.question,
        score: m.confidence,
        suggested: m.suggested,
        excerpt: faqExcerpt(entry),
        url: helpUrl ? faqUrl(helpUrl, language, m.meta.slug) : '',
        solvedLink: solvedLink(m.meta.slug),
      };
    });
  },
};
