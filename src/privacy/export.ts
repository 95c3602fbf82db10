// `postdesk customers export`: everything held about a customer, as a zip (written by yazl) in the
// layout its README.txt describes. Kept contents are read from their store one entry at a time, as
// the zip is written, so a customer with many large attachments does not fill the memory.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fs from 'node:fs';
import yazl from 'yazl';
import type { App } from '../app.ts';
import { safeFilename } from '../inbound/attachment-name.ts';
import { sentCopyFile } from '../outbound/delivery.ts';
import type { ContentStore } from '../store/content-store.ts';
import type { PackLocation } from '../store/pack-store.ts';
import { rawOfQuarantined } from '../store/quarantine.ts';
import { findTicketById } from '../store/tickets.ts';
import type { Holdings } from './holdings.ts';

export const EXPORT_README = `Everything Postdesk holds about one customer, exported with \`postdesk customers export\`.

customer.json                         the customer record
tickets/<number>/ticket.json          each of their tickets, with its events (its audit trail)
tickets/<number>/messages/<id>.json   each message as stored: addresses, subject, text, HTML, attachments
tickets/<number>/messages/<id>.eml    the mail as it arrived, byte for byte (mail Postdesk sent: see outbox/)
tickets/<number>/messages/<id>-duplicate-<n>.eml   a repeated delivery of that mail, as it arrived
attachments/<sha256>-<filename>       each attachment's content, under its safe name (messages/<id>.json names it, and gives the name as sent)
outbox/<id>.json                      each mail sent or queued to the customer, or to agents about their tickets
outbox/<id>.eml                       the copy of that mail as sent, where one is kept (no SMTP configured)
quarantine/<id>.json, <id>.eml        mails held in quarantine that name the customer's address
faq-feedback/<id>.json, <id>.eml      their "Did this answer your question?" mails from the help center

Their own mails on other customers' tickets are under those tickets' numbers, without the ticket.
Times are ISO 8601 in UTC. JSON files are UTF-8.
`;

/** Private inside the zip too: unzip keeps these permissions. */
const ENTRY = { mode: 0o100600 };

export async function exportCustomerData(app: App, h: Holdings, output: Writable): Promise<void> {
  const zip = new yazl.ZipFile();
  const json = (name: string, value: unknown) => zip.addBuffer(Buffer.from(`${JSON.stringify(value, null, 2)}\n`), name, ENTRY);
  const kept = (name: string, store: ContentStore<PackLocation>, location: PackLocation) =>
    zip.addReadStreamLazy(name, ENTRY, (done) => {
      store.get(location).then(
        (bytes) => done(null, Readable.from([bytes])),
        (err: Error) => done(err, Readable.from([])),
      );
    });

  zip.addBuffer(Buffer.from(EXPORT_README), 'README.txt', ENTRY);
  json('customer.json', h.customer);
  const ticketNumbers = new Map(h.tickets.map((t) => [t.id, t.number]));
  for (const t of h.tickets) json(`tickets/${t.number}/ticket.json`, { ...t, events: h.events.filter((e) => e.ticketId === t.id) });
  for (const m of h.messages) {
    const folder = `tickets/${ticketNumbers.get(m.ticketId) ?? (await findTicketById(app.db, m.ticketId))?.number}/messages`;
    const { rawPack, rawOffset, ...message } = m;
    const files = h.attachments.filter((a) => a.messageId === m.id);
    json(`${folder}/${m.id}.json`, {
      ...message,
      attachments: files.map(({ filename, originalFilename, contentType, size, sha256, inline, contentId }) => ({
        filename,
        originalFilename,
        contentType,
        size,
        sha256,
        inline,
        contentId,
        file: attachmentEntry(sha256, filename, contentType),
      })),
    });
    if (rawPack && rawOffset !== null && m.rawSize !== null && m.rawSha256) {
      kept(`${folder}/${m.id}.eml`, app.raw, { pack: rawPack, offset: rawOffset, size: m.rawSize, sha256: m.rawSha256 });
    }
    h.duplicates
      .filter((d) => d.messageId === m.id)
      .forEach((d, i) => kept(`${folder}/${m.id}-duplicate-${i + 1}.eml`, app.raw, { pack: d.rawPack, offset: d.rawOffset, size: d.rawSize, sha256: d.rawSha256 }));
  }
  const attachmentEntries = new Set<string>();
  for (const a of h.attachments) {
    const name = attachmentEntry(a.sha256, a.filename, a.contentType);
    if (attachmentEntries.has(name)) continue;
    attachmentEntries.add(name);
    kept(name, app.attachments, a);
  }
  for (const o of h.outbox) {
    json(`outbox/${o.id}.json`, o);
    const copy = sentCopyFile(app.config.dataDir, o.messageId);
    if (fs.existsSync(copy)) zip.addFile(copy, `outbox/${o.id}.eml`, ENTRY);
  }
  for (const q of h.heldMails) {
    json(`quarantine/${q.id}.json`, q);
    kept(`quarantine/${q.id}.eml`, app.raw, rawOfQuarantined(q));
  }
  for (const { rawPack, rawOffset, rawSize, rawSha256, ...f } of h.feedback) {
    json(`faq-feedback/${f.id}.json`, { ...f, raw: rawSha256 });
    if (rawPack && rawOffset !== null && rawSize !== null && rawSha256) kept(`faq-feedback/${f.id}.eml`, app.raw, { pack: rawPack, offset: rawOffset, size: rawSize, sha256: rawSha256 });
  }
  zip.end();
  await pipeline(zip.outputStream, output);
}

/**
 * The zip entry of an attachment: its sha256 keeps names unique, the file name keeps it recognisable.
 * Named again by today's rules: attachments kept before them have names unsafe on some systems.
 */
function attachmentEntry(sha256: string, filename: string, contentType: string): string {
  return `attachments/${sha256}-${safeFilename(filename, 0, contentType)}`;
}
