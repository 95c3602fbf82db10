// Decoding in worker threads: a batch commits in order while the next mails decode, and a mail that
// outlasts the time limit is quarantined without holding up the others.
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DecodePool } from '../../src/inbound/decode/pool.ts';
import { ingestInOrder } from '../../src/inbound/pipeline.ts';
import type { IngestResult } from '../../src/inbound/ingest-result.ts';
import { retryQuarantined } from '../../src/inbound/retry.ts';
import { listMessages } from '../../src/store/messages.ts';
import { findQuarantine, rawOfQuarantined } from '../../src/store/quarantine.ts';
import { sha256 } from '../../src/store/pack-store.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { buildMail } from '../helpers/mail.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { keptCopies, packsOf } from '../helpers/kept-contents.ts';
import { testDatabaseIsPostgres } from '../helpers/test-database.ts';

let app: TestApp;
afterEach(() => app?.close());

async function ingestBatch(raws: Buffer[]): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  await ingestInOrder(app, raws.entries(), {
    incoming: ([i, raw]) => ({ source: `mail-${i}`, mailbox: app.mailboxes[0], raw, receivedAt: app.now() }),
    done: (_item, result) => void results.push(result),
  });
  return results;
}

/** The pack files of this store that some thread of this process holds open. */
function openPacks(dir: string): string[] {
  const fdDir = '/proc/self/fd';
  const targets = fs.readdirSync(fdDir).map((fd) => {
    try {
      return fs.readlinkSync(`${fdDir}/${fd}`);
    } catch {
      return ''; // closed while we listed it
    }
  });
  return targets.filter((target) => target.startsWith(`${fs.realpathSync(dir)}/`)).map((target) => target.slice(target.lastIndexOf('/') + 1));
}

/** A 2.7 MB HTML mail: sanitizing it and deriving its text takes about a second, far longer than a note. */
function largeHtmlMail(): Buffer {
  const html = Array.from({ length: 50_000 }, (_, i) => `<p>paragraph <b>${i}</b> <a href="https://example.com/${i}">link</a></p>`).join('');
  const head = ['From: Big <big@customer.example>', 'To: support@example.com', 'Subject: long page', 'Message-ID: <large@customer.example>', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8'];
  return Buffer.from([...head, '', `<div>${html}</div>`, ''].join('\r\n'));
}

/**
 * A 17 MB log pasted as text: mailparser holds it several times over while decoding it (about 64 MB
 * of heap). Its heap grows step by step, so the worker's limit ends it cleanly: a single allocation
 * far past the limit would abort the whole process (nodejs/node#47224).
 */
function hugeTextMail(): Buffer {
  const text = Array.from({ length: 300_000 }, (_, i) => `2026-11-02 09:00:${String(i % 60).padStart(2, '0')} worker ${i} wrote ünïcödé line`).join('\r\n');
  const head = ['From: Ops <ops@customer.example>', 'To: support@example.com', 'Subject: our log', 'Message-ID: <log@customer.example>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'];
  return Buffer.from([...head, '', text, ''].join('\r\n'));
}

describe('decode workers', () => {
  it('decode a batch in worker threads and commit it in order: every reply lands in its ticket', async () => {
    app = await testApp({ ingest: { decodeWorkers: 2 } });
    // On PostgreSQL the pool sits behind the main thread's keeping of what the workers hand back.
    expect('workers' in app.decoder ? app.decoder.workers : app.decoder).toBeInstanceOf(DecodePool);
    const raws = [];
    for (let t = 0; t < 5; t++) {
      const root = `root-${t}@customer.example`;
      raws.push(buildMail({ from: `c${t}@customer.example`, subject: `Question ${t}`, messageId: root }));
      for (let r = 0; r < 4; r++) {
        raws.push(buildMail({ from: `c${t}@customer.example`, subject: `Re: Question ${t}`, messageId: `reply-${t}-${r}@customer.example`, inReplyTo: root, references: [root], text: `follow-up ${r}` }));
      }
    }
    const results = await ingestBatch(raws);
    expect(results.map((r) => r.source)).toEqual(raws.map((_, i) => `mail-${i}`));
    expect(results.filter((r) => r.status === 'created')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'appended')).toHaveLength(20);
    for (const created of results.filter((r) => r.status === 'created')) {
      const ticket = (await findTicketByNumber(app.db, created.ticket!))!;
      expect((await listMessages(app.db, ticket.id)).filter((m) => m.direction === 'in')).toHaveLength(5);
    }
  });

  it('quarantine a mail the worker refuses where the worker kept it: its bytes are kept once', async () => {
    app = await testApp({ ingest: { decodeWorkers: 1 } });
    const senderless = Buffer.from('To: support@example.com\r\nSubject: who am I\r\nMessage-ID: <nobody@x.example>\r\n\r\nbody\r\n');
    const [result] = await ingestBatch([senderless]);
    expect(result).toMatchObject({ status: 'quarantined', reason: expect.stringMatching(/no usable sender/) });
    const held = (await findQuarantine(app.db, result.quarantineId!))!;
    expect((await app.raw.get(rawOfQuarantined(held))).equals(senderless)).toBe(true);
    expect(await keptCopies(app, 'raw', sha256(senderless))).toBe(1);
  });

  it('quarantine a mail that outlasts the time limit, with its raw bytes kept, and go on with the rest', async () => {
    app = await testApp({ ingest: { decodeWorkers: 1, decodeTimeoutSeconds: 0.1 } });
    const large = largeHtmlMail();
    const results = await ingestBatch([
      buildMail({ from: 'a@customer.example', messageId: 'before@customer.example' }),
      large,
      buildMail({ from: 'b@customer.example', messageId: 'after@customer.example' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'quarantined', 'created']);
    expect(results[1].reason).toBe('decoding took longer than 0.1 s (ingest.decodeTimeoutSeconds)');
    expect((await app.raw.get(rawOfQuarantined((await findQuarantine(app.db, results[1].quarantineId!))!))).equals(large)).toBe(true);
    // The replaced worker's pack (where it kept the first mail) is closed with it: Node closes a
    // worker's raw descriptors when it ends, so a long-running service does not collect one per
    // replaced worker. The replacement's pack stays open for the next mails. (Packs are SQLite's
    // store; on PostgreSQL the workers keep nothing, see decode/hand-back.ts.)
    if (!testDatabaseIsPostgres()) {
      const packOf = async (result: IngestResult) => (await listMessages(app.db, (await findTicketByNumber(app.db, result.ticket!))!.id))[0].rawPack!;
      const [firstPack, lastPack] = [await packOf(results[0]), await packOf(results[2])];
      expect(firstPack).not.toBe(lastPack);
      await vi.waitFor(() => expect(openPacks(packsOf(app).raw.dir)).not.toContain(firstPack), { timeout: 5000 });
      expect(openPacks(packsOf(app).raw.dir)).toContain(lastPack);
    }

    // With the default limit, the retry stores it.
    await app.close();
    app = await testApp({ ingest: { decodeWorkers: 1 } }, { dataDir: app.config.dataDir });
    const retried = await retryQuarantined(app, results[1].quarantineId!);
    expect(retried.status).toBe('created');
  });

  it('quarantine a mail that needs more memory than the limit, with its raw bytes kept, and go on with the rest', async () => {
    app = await testApp({ ingest: { decodeWorkers: 1, decodeMemoryMB: 32 } });
    const huge = hugeTextMail();
    const results = await ingestBatch([
      buildMail({ from: 'a@customer.example', messageId: 'before@customer.example' }),
      huge,
      buildMail({ from: 'b@customer.example', messageId: 'after@customer.example' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'quarantined', 'created']);
    expect(results[1].reason).toBe('decoding needed more than 32 MB (ingest.decodeMemoryMB)');
    expect((await app.raw.get(rawOfQuarantined((await findQuarantine(app.db, results[1].quarantineId!))!))).equals(huge)).toBe(true);

    // Within the default limit, the retry stores it.
    await app.close();
    app = await testApp({ ingest: { decodeWorkers: 1 } }, { dataDir: app.config.dataDir });
    expect((await retryQuarantined(app, results[1].quarantineId!)).status).toBe('created');
  });
});
