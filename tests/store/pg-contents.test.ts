// With PostgreSQL, nothing a second machine needs stays in the data directory: raw mails,
// attachments and quarantined mails are rows of the contents table, the generated secret a setting.
// Each test's Apps share one database of a cluster of this suite's own (so this file runs once, in
// the SQLite run too: scripts/test-postgres.ts lists it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { retryQuarantined } from '../../src/inbound/retry.ts';
import { findHoldings } from '../../src/privacy/holdings.ts';
import { forgetCustomer } from '../../src/privacy/forget.ts';
import { replyAddress, findReplyToken } from '../../src/outbound/tokens.ts';
import { sha256 } from '../../src/store/pack-store.ts';
import { listAttachments, listMessages } from '../../src/store/messages.ts';
import { findTicketByNumber } from '../../src/store/tickets.ts';
import { postgresForSuite, describeWithPostgres } from '../harness/postgres.ts';
import { cleanEnv, POSTDESK_BIN } from '../helpers/cli.ts';
import { countOf } from '../helpers/db-rows.ts';
import { keptCopies } from '../helpers/kept-contents.ts';
import { buildMail } from '../helpers/mail.ts';
import { tempDir, testApp, type TestApp } from '../helpers/test-app.ts';

const PDF = Buffer.from('%PDF-1.4\n% kept in PostgreSQL\n');

function mailWithAttachment(messageId: string): Buffer {
  return Buffer.from(
    [
      'From: Ada <ada@customer.example>',
      'To: support@example.com',
      'Subject: invoice attached',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please find the invoice attached.',
      '--b',
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      PDF.toString('base64'),
      '--b--',
      '',
    ].join('\r\n'),
  );
}

/** Files under the data directory whose names end in .pack. */
function packFiles(dataDir: string): string[] {
  return (fs.readdirSync(dataDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.pack'));
}

describeWithPostgres('contents and secret in PostgreSQL', () => {
  const cluster = postgresForSuite();
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  /** An App on a data directory of its own, on the given database (a new one by default). */
  const open = async (url?: string, config: Parameters<typeof testApp>[0] = {}) => {
    const app = await testApp({ ...config, database: { url: url ?? (await cluster().createDatabase()) } });
    apps.push(app);
    return app;
  };
  const ingest = (app: TestApp, raw: Buffer, source = 'test') => ingestRawMail(app, { source, mailbox: app.mailboxes[0], raw, receivedAt: app.now() });

  for (const workers of [0, 1]) {
    it(`keeps an ingested mail's raw bytes and attachments in PostgreSQL, no pack in the data directory (${workers ? 'decode worker' : 'main thread'})`, async () => {
      const app = await open(undefined, { ingest: { decodeWorkers: workers } });
      const raw = mailWithAttachment(`pdf-${workers}@customer.example`);
      const result = await ingest(app, raw);
      expect(result.status).toBe('created');
      expect(packFiles(app.config.dataDir)).toEqual([]);
      expect(await keptCopies(app, 'raw', sha256(raw))).toBe(1);
      expect(await keptCopies(app, 'attachment', sha256(PDF))).toBe(1);
      const [message] = await listMessages(app.db, (await findTicketByNumber(app.db, result.ticket!))!.id);
      expect(message.rawSha256).toBe(sha256(raw));
      expect((await listAttachments(app.db, [message.id])).map((a) => a.sha256)).toEqual([sha256(PDF)]);

      // The CLI, another process on another data directory, reads them back byte for byte.
      const elsewhere = tempDir();
      const configPath = path.join(elsewhere, 'postdesk.config.json');
      fs.writeFileSync(configPath, JSON.stringify({ database: { url: app.config.database.kind === 'postgres' ? app.config.database.url : '' } }));
      const cli = (...args: string[]) => spawnSync(process.execPath, [POSTDESK_BIN, '--data', elsewhere, '--config', configPath, ...args], { env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
      const shownRaw = cli('raw', sha256(raw));
      expect(shownRaw.stderr.toString()).toBe('');
      expect(shownRaw.status).toBe(0);
      expect(shownRaw.stdout.equals(raw)).toBe(true);
      const shownPdf = cli('attachment', sha256(PDF));
      expect(shownPdf.status).toBe(0);
      expect(shownPdf.stdout.equals(PDF)).toBe(true);
      expect(packFiles(elsewhere)).toEqual([]);
    });
  }

  it('quarantines a mail into PostgreSQL, and another App retries it from there', async () => {
    const url = await cluster().createDatabase();
    const strict = await open(url, { ingest: { maxMessageBytes: 1024 } });
    const raw = mailWithAttachment(`big@customer.example`);
    const big = Buffer.concat([raw, Buffer.alloc(2048, 'x')]);
    const held = await ingest(strict, big);
    expect(held.status).toBe('quarantined');
    expect(await keptCopies(strict, 'raw', sha256(big))).toBe(1);
    expect(packFiles(strict.config.dataDir)).toEqual([]);
    // The limit raised, on another machine's data directory: the retry reads the bytes from PostgreSQL.
    const lenient = await open(url);
    const retried = await retryQuarantined(lenient, held.quarantineId!);
    expect(retried.status).toBe('created');
    expect(await countOf(lenient, "SELECT count(*) AS n FROM quarantine WHERE status = 'released'")).toBe(1);
  });

  it('forget erases the customer\'s raw mails and attachments from the contents table', async () => {
    const app = await open();
    const raw = mailWithAttachment('forget-me@customer.example');
    const other = buildMail({ from: 'bob@customer.example', messageId: 'keep-me@customer.example' });
    await ingest(app, raw);
    await ingest(app, other);
    const outcome = await forgetCustomer(app, (await findHoldings(app, 'ada@customer.example'))!, 'test');
    expect(outcome.raw.records).toBe(1);
    expect(outcome.attachments.records).toBe(1);
    expect(await keptCopies(app, 'raw', sha256(raw))).toBe(0);
    expect(await keptCopies(app, 'attachment', sha256(PDF))).toBe(0);
    expect(await keptCopies(app, 'raw', sha256(other))).toBe(1);
  });

  it('two Apps on two data directories sharing one database read each other\'s mails and sign with one secret', async () => {
    const url = await cluster().createDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    expect(a.config.dataDir).not.toBe(b.config.dataDir);
    expect(a.secret).toBe(b.secret);
    expect(fs.existsSync(path.join(a.config.dataDir, 'secret'))).toBe(false);
    const raw = mailWithAttachment('shared@customer.example');
    const result = await ingest(a, raw);
    const [message] = await listMessages(b.db, (await findTicketByNumber(b.db, result.ticket!))!.id);
    expect((await b.raw.get({ pack: message.rawPack!, offset: message.rawOffset!, size: message.rawSize!, sha256: message.rawSha256! })).equals(raw)).toBe(true);
    const [attachment] = await listAttachments(b.db, [message.id]);
    expect((await b.attachments.get(attachment)).equals(PDF)).toBe(true);
    // A reply address signed by one is accepted by the other.
    const address = replyAddress(a.secret, 'support@example.com', { ticketId: 7, agentId: 3 });
    expect(findReplyToken(b.secret, 'support@example.com', [address])).toEqual({ status: 'valid', token: { ticketId: 7, agentId: 3 } });
  });
});
