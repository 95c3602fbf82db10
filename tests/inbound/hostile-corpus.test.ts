// Runs every scenario of tests/fixtures/hostile/ (see its README) against a fresh help desk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { AGENT_KINDS } from '../../src/outbound/queue.ts';
import { listEvents } from '../../src/store/events.ts';
import { listAttachments, listMessages } from '../../src/store/messages.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { listQuarantine } from '../../src/store/quarantine.ts';
import { findTicketByNumber, updateTicket } from '../../src/store/tickets.ts';
import { deskWith, receive, withDesk } from '../outbound/desk.ts';

const corpus = path.join(import.meta.dirname, '../fixtures/hostile');

interface HostileCase {
  why: string;
  mails: string[];
  resolveFirstTicket?: boolean;
  expect: {
    status: 'created' | 'appended' | 'duplicate' | 'quarantined';
    acknowledgements?: number;
    agentMails?: number;
    quarantineReason?: string;
    ticketEvents?: string[];
    firstTicketStatus?: string;
    /** The last mail's attachments as stored: the safe name and the name as sent. */
    attachments?: { filename: string; originalFilename: string | null }[];
    /** Fields of the last mail's stored message, as stored (subject, fromName, text, visibleText …). */
    message?: Record<string, unknown>;
    /** Text the last mail's sanitized HTML must contain, and must not. */
    htmlIncludes?: string[];
    htmlExcludes?: string[];
    /** Texts every mail queued to agents because of the last mail must contain / must not contain. */
    agentMailsMention?: string[];
    agentMailsNeverMention?: string[];
    /** Event types on the first ticket afterwards (e.g. a security event of a quarantined mail). */
    firstTicketEvents?: string[];
    /** Messages stored on the first ticket because of the last mail. */
    firstTicketGainsMessages?: number;
  };
}

const cases = fs
  .readdirSync(corpus)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(corpus, f), 'utf8')) as HostileCase] as const);

describe('hostile mail corpus', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('%s', async (_name, scenario) => {
    await withDesk(await deskWith(undefined), async (desk) => {
      const mails = scenario.mails.map((f) => fs.readFileSync(path.join(corpus, f)));
      let firstTicket: number | null = null;
      for (const raw of mails.slice(0, -1)) {
        const earlier = await receive(desk, raw);
        firstTicket ??= earlier.ticket;
        if (scenario.resolveFirstTicket && earlier.ticket === firstTicket && firstTicket !== null) {
          const { id } = (await findTicketByNumber(desk.db, firstTicket))!;
          await inTransaction(desk, ({ db }) => updateTicket(db, id, { status: 'resolved', resolvedAt: desk.now() }));
        }
      }
      const before = (await listOutbox(desk.db)).length;
      const firstTicketId = async () => (await findTicketByNumber(desk.db, firstTicket!))!.id;
      const firstMessages = firstTicket === null ? 0 : (await listMessages(desk.db, await firstTicketId())).length;
      const result = await receive(desk, mails.at(-1)!);
      const queued = (await listOutbox(desk.db)).slice(before);
      const { expect: want } = scenario;
      expect(result.status, scenario.why).toBe(want.status);
      if (want.acknowledgements !== undefined) expect(queued.filter((r) => r.kind === 'acknowledgement')).toHaveLength(want.acknowledgements);
      if (want.agentMails !== undefined) expect(queued.filter((r) => AGENT_KINDS.includes(r.kind as never))).toHaveLength(want.agentMails);
      if (want.quarantineReason !== undefined) {
        expect((await listQuarantine(desk.db)).find((q) => q.id === result.quarantineId)?.reason).toContain(want.quarantineReason);
      }
      if (want.ticketEvents) {
        const ticket = (await findTicketByNumber(desk.db, result.ticket!))!;
        const types = (await listEvents(desk.db, ticket.id)).map((e) => e.type);
        for (const type of want.ticketEvents) expect(types).toContain(type);
      }
      if (want.message || want.attachments || want.htmlIncludes || want.htmlExcludes) {
        const message = (await listMessages(desk.db, (await findTicketByNumber(desk.db, result.ticket!))!.id)).filter((m) => m.direction === 'in').at(-1)!;
        if (want.message) expect(message).toMatchObject(want.message);
        if (want.attachments) expect((await listAttachments(desk.db, [message.id])).map(({ filename, originalFilename }) => ({ filename, originalFilename }))).toEqual(want.attachments);
        for (const text of want.htmlIncludes ?? []) expect(message.html).toContain(text);
        for (const text of want.htmlExcludes ?? []) expect(message.html).not.toContain(text);
      }
      for (const row of queued.filter((r) => AGENT_KINDS.includes(r.kind as never))) {
        const shown = [row.mail.subject, row.mail.text, row.mail.html].join('\n');
        for (const text of want.agentMailsMention ?? []) expect(shown, scenario.why).toContain(text);
        for (const text of want.agentMailsNeverMention ?? []) expect(shown, scenario.why).not.toContain(text);
      }
      if (want.firstTicketStatus !== undefined) expect((await findTicketByNumber(desk.db, firstTicket!))!.status).toBe(want.firstTicketStatus);
      if (want.firstTicketEvents) {
        const types = (await listEvents(desk.db, await firstTicketId())).map((e) => e.type);
        for (const type of want.firstTicketEvents) expect(types).toContain(type);
      }
      if (want.firstTicketGainsMessages !== undefined) expect((await listMessages(desk.db, await firstTicketId())).length - firstMessages).toBe(want.firstTicketGainsMessages);
    });
  });
});
