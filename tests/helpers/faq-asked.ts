// Tickets that asked given FAQ entries, as the suggestion step records them (faq_matches), for the
// tests that count them (`faq stats`, the site's order): each a real ticket from a real mail, its
// best match the entry named. The desk has suggestions off, so these rows are the only ones: that
// ingest records the real matches is the business of tests/outbound/suggested-answers.test.ts.
import { inTransaction } from '../../src/app.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { recordFaqMatches } from '../../src/store/faq-matches.ts';
import { findTicketByNumber, type TicketRow } from '../../src/store/tickets.ts';
import { buildMail } from './mail.ts';
import { testApp, type TestApp } from './test-app.ts';

export interface Ask {
  slug: string;
  at: string;
  suggested?: boolean;
  /** The runner-up match recorded with it (rank 2): it must not count as asked. */
  alsoMatched?: string;
  language?: string;
}

/** A desk whose faq_matches hold only what askTickets records. */
export function countingDesk(): Promise<TestApp> {
  return testApp({ suggestions: { enabled: false } });
}

export async function askTickets(app: TestApp, asks: readonly Ask[]): Promise<TicketRow[]> {
  // Else ingest records its own matches too, and every ask counts twice.
  if (app.config.suggestions.enabled) throw new Error('askTickets needs a desk with suggestions off: use countingDesk()');
  const made: TicketRow[] = [];
  for (const [i, ask] of asks.entries()) {
    app.clock.set(ask.at);
    const raw = buildMail({ from: `customer${i}@customer.example`, subject: `About ${ask.slug}`, messageId: `ask-${i}@customer.example` });
    const result = await ingestRawMail(app, { source: `ask-${i}`, mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
    const ticket = (await findTicketByNumber(app.db, result.ticket!))!;
    const language = ask.language ?? 'en';
    await inTransaction(app, ({ db }) => recordFaqMatches(db, ticket.id, language, [
      { slug: ask.slug, score: 7.5, rank: 1, suggested: ask.suggested ?? false },
      ...(ask.alsoMatched ? [{ slug: ask.alsoMatched, score: 2.1, rank: 2, suggested: false }] : []),
    ], app.now()));
    made.push(ticket);
  }
  return made;
}
