// A customer's data on request, through the real CLI: `customers export` writes all of it to a zip
// that round-trips, and `customers forget --confirm` leaves no trace of them anywhere in the data
// directory (database, WAL, packs, sent copies), while another customer's mail and an attachment they
// share stay readable and the reports still count the forgotten customer's tickets.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { postdesk, postdeskAsync, waitForOutput } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { countOf, rowsOf } from '../helpers/db-rows.ts';
import { testDatabaseIsPostgres } from '../helpers/test-database.ts';
import { cliDataDir, tempDir, testApp } from '../helpers/test-app.ts';

const ENV = { POSTDESK_ADDRESS: 'support@desk.example', POSTDESK_AGENTS: 'Sam Agent <sam@agents.example>' };
const NOW = '2026-11-02T09:00:00Z';

const ANN = 'ann.private@customer.example';
const ANN_PHRASE = 'quartz-zebra-flicker-7731';
const ANN_RATING_PHRASE = 'walrus-amber-rating-4419';
const ANN_BYTES = Buffer.from(`ANN-ONLY-ATTACHMENT-${crypto.randomBytes(8).toString('hex')}`);
const SHARED_BYTES = Buffer.from('SHARED-LOGO-BYTES-0042');
const BOB_PHRASE = 'bob-keeps-his-mail-5512';
const ANN_FEEDBACK_PHRASE = 'feedback-ocelot-2290';

function mailWithAttachments(from: string, subject: string, messageId: string, text: string, files: [string, Buffer][]): Buffer {
  return buildMail({ from, to: 'support@desk.example', subject, messageId, text, attachments: files.map(([filename, content]) => ({ filename, content })) });
}

const annMail = mailWithAttachments(`Ann Private <${ANN}>`, 'Lamp broken', 'lamp-1@customer.example', `The lamp flickers: ${ANN_PHRASE}.`, [
  ['lamp.bin', ANN_BYTES],
  ['logo.bin', SHARED_BYTES],
]);
// "Did this answer your question? Yes", from the help center, with a word of her own: no ticket.
const annFeedback = buildMail({ from: `Ann Private <${ANN}>`, to: 'support@desk.example', subject: '[faq:reset-password] yes', messageId: 'feedback-1@customer.example', text: `Thanks! ${ANN_FEEDBACK_PHRASE}` });
const bobMail = mailWithAttachments('Bob <bob@other.example>', 'Invoice', 'invoice-1@other.example', `Where is my invoice? ${BOB_PHRASE}`, [['logo.bin', SHARED_BYTES]]);

/** The data directory and its configuration, which names the suite's database (cliDataDir). */
const desk = (data: string) => ['--data', data, '--config', path.join(data, 'postdesk.config.json')];

function run(data: string, args: string[], input?: Buffer) {
  return postdesk([...desk(data), '--now', NOW, ...args], { env: ENV, input });
}

function ok(data: string, args: string[], input?: Buffer): string {
  const result = run(data, args, input);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Every file under the directory, byte for byte. */
function everyFile(dir: string): { file: string; bytes: Buffer }[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => ({ file, bytes: fs.readFileSync(file) }));
}

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Ann writes, the agent is notified and answers her by mail quoting her, Bob writes: all sent as .eml copies. */
async function deskWithTwoCustomers(): Promise<string> {
  const { dataDir: data } = await cliDataDir();
  ok(data, ['ingest', '-'], annMail);
  ok(data, ['outbox', 'flush']);
  const sent = path.join(data, 'outbox-sent');
  const notification = await (async () => {
    for (const name of fs.readdirSync(sent)) {
      const mail = await simpleParser(fs.readFileSync(path.join(sent, name)));
      if (mail.to && !Array.isArray(mail.to) && mail.to.value[0].address === 'sam@agents.example') return mail;
    }
    throw new Error('no agent notification was sent');
  })();
  const replyTo = notification.replyTo!.value[0].address!;
  const agentReply = Buffer.from(
    [
      'From: Sam Agent <sam@agents.example>',
      `To: ${replyTo}`,
      `Subject: Re: ${notification.subject}`,
      'Message-ID: <reply-1@agents.example>',
      `In-Reply-To: ${notification.messageId}`,
      'Date: Mon, 02 Nov 2026 09:30:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '#close',
      'Hello Ann, a new lamp is on its way.',
      '',
      `On Mon, Ann Private <${ANN}> wrote:`,
      `> The lamp flickers: ${ANN_PHRASE}.`,
      '',
    ].join('\r\n'),
  );
  ok(data, ['ingest', '-'], agentReply);
  // Her satisfaction rating, with a comment that is hers to take away; the score stays for the report.
  ok(data, ['ingest', '-'], buildMail({ from: ANN, to: 'support@desk.example', subject: '[#1000] rating 2', text: `Too slow. ${ANN_RATING_PHRASE}` }));
  ok(data, ['ingest', '-'], bobMail);
  ok(data, ['ingest', '-'], annFeedback);
  ok(data, ['outbox', 'flush']);
  return data;
}

/** PostgreSQL: how many of these contents (by sha256) its contents table still holds. */
async function keptContents(data: string, ...contents: Buffer[]): Promise<number> {
  const app = await testApp({}, { dataDir: data });
  try {
    return await countOf(app, `SELECT count(*) AS n FROM contents WHERE sha256 IN (${contents.map(() => '?').join(', ')})`, ...contents.map(sha256));
  } finally {
    await app.close();
  }
}

describe('customers export and forget', () => {
  let data: string;
  beforeAll(async () => {
    data = await deskWithTwoCustomers();
    // The agent's answer reached Ann, quoting her: forget must erase it too.
    const sentToAnn = everyFile(path.join(data, 'outbox-sent')).filter(({ bytes }) => bytes.includes(ANN) && bytes.includes('a new lamp'));
    expect(sentToAnn).not.toHaveLength(0);
  }, 60_000);

  it('export: a private zip whose raw mail and attachments are the very bytes ingested', async () => {
    const out = path.join(tempDir(), 'ann.zip');
    const result = run(data, ['customers', 'export', ANN.toUpperCase(), '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${out}\n`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const zip = await readZip(out);
    expect(zip.get('README.txt')!.toString()).toContain('tickets/<number>/messages/<id>.eml');
    expect(JSON.parse(zip.get('customer.json')!.toString())).toMatchObject({ email: ANN, name: 'Ann Private' });
    const ticket = JSON.parse(zip.get('tickets/1000/ticket.json')!.toString());
    expect(ticket).toMatchObject({ number: 1000, subject: 'Lamp broken' });
    expect(ticket.events.map((e: { type: string }) => e.type)).toContain('created');
    const rawEntries = [...zip.keys()].filter((k) => /^tickets\/1000\/messages\/\d+\.eml$/.test(k));
    expect(rawEntries.map((k) => zip.get(k)!).some((bytes) => bytes.equals(annMail))).toBe(true);
    expect(zip.get(`attachments/${sha256(ANN_BYTES)}-lamp.bin`)!.equals(ANN_BYTES)).toBe(true);
    expect(zip.get(`attachments/${sha256(SHARED_BYTES)}-logo.bin`)!.equals(SHARED_BYTES)).toBe(true);
    // The agent's answer to her is part of her ticket, and the sent mails are there as sent.
    const messages = [...zip.keys()].filter((k) => /^tickets\/1000\/messages\/\d+\.json$/.test(k)).map((k) => JSON.parse(zip.get(k)!.toString()));
    expect(messages.some((m) => m.kind === 'agent' && m.text.includes('a new lamp'))).toBe(true);
    expect([...zip.keys()].some((k) => /^outbox\/\d+\.eml$/.test(k))).toBe(true);
    // Her help-center feedback, as recorded and as it arrived.
    const feedback = [...zip.keys()].filter((k) => k.startsWith('faq-feedback/'));
    expect(feedback.map((k) => k.replace(/\d+/, 'N')).sort()).toEqual(['faq-feedback/N.eml', 'faq-feedback/N.json']);
    expect(JSON.parse(zip.get(feedback.find((k) => k.endsWith('.json'))!)!.toString())).toMatchObject({ slug: 'reset-password', helpful: true, comment: `Thanks! ${ANN_FEEDBACK_PHRASE}` });
    expect(zip.get(feedback.find((k) => k.endsWith('.eml'))!)!.equals(annFeedback)).toBe(true);
    // Nothing of Bob's.
    for (const bytes of zip.values()) expect(bytes.includes(BOB_PHRASE)).toBe(false);
    // An existing file is not overwritten.
    const again = run(data, ['customers', 'export', ANN, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`postdesk: --out: ${out} exists already\n`);
  });

  it('forget: without --confirm says what it would erase and erases nothing; with it, no trace of her is left', async () => {
    const reportArgs = ['report', '--period', 'week', '--at', '2026-11-02', '--format', 'json'];
    const reportBefore = JSON.parse(ok(data, reportArgs));
    const refused = run(data, ['customers', 'forget', ANN]);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(/^would erase ann\.private@customer\.example: 1 tickets, \d+ messages, .*2 attachments/);
    expect(refused.stderr).toBe('postdesk: customers forget: nothing erased; add --confirm to erase\n');
    expect(ok(data, ['tickets', 'show', '1000'])).toContain(ANN);

    // SQLite only: a reader holding the database open keeps its WAL file in place while forget runs,
    // and no trace may be left in it either.
    const reader = testDatabaseIsPostgres() ? null : new Database(path.join(data, 'postdesk.sqlite'));
    try {
      if (reader) expect(reader.prepare('SELECT count(*) AS n FROM tickets').get()).toEqual({ n: 2 });
      const forgot = ok(data, ['customers', 'forget', ANN, '--confirm', '--by', 'dpo@desk.example']);
      expect(forgot).toMatch(/^erased ann\.private@customer\.example: .*audit event \d+\n$/);
      if (reader) expect(fs.existsSync(path.join(data, 'postdesk.sqlite-wal'))).toBe(true);
      const files = everyFile(data);
      for (const secret of [Buffer.from(ANN), Buffer.from(ANN_PHRASE), Buffer.from(ANN_RATING_PHRASE), Buffer.from(ANN_FEEDBACK_PHRASE), ANN_BYTES, Buffer.from(ANN_BYTES.toString('base64')), Buffer.from('Ann Private')]) {
        const found = files.filter(({ bytes }) => bytes.includes(secret) || bytes.toString('latin1').toLowerCase().includes(secret.toString('latin1').toLowerCase()));
        expect(found.map((f) => f.file), `"${secret}" is still on disk`).toEqual([]);
      }
    } finally {
      reader?.close();
    }
    const app = await testApp({}, { dataDir: data });
    try {
      expect(await countOf(app, 'SELECT count(*) AS n FROM tickets')).toBe(2);
      const audit = await rowsOf<{ actor: string; data: string; pending: string | null }>(
        app, "SELECT actor, CAST(data AS text) AS data, pending FROM audit_events WHERE type = 'customer-forgotten'",
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'dpo@desk.example', pending: null });
      expect(JSON.parse(audit[0].data)).toMatchObject({ tickets: 1, attachments: 2, faqFeedback: 1 });
    } finally {
      await app.close();
    }

    const shown = run(data, ['tickets', 'show', '1000', '--json']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).not.toContain(ANN);
    expect(shown.stdout).not.toContain(ANN_PHRASE);
    expect(JSON.parse(shown.stdout).customer.email).toMatch(/^forgotten-\d+@forgotten\.invalid$/);
    expect(run(data, ['customers', 'show', ANN]).status).toBe(2);
    const raw = run(data, ['raw', sha256(annMail)]);
    expect(raw.status).toBe(2);
    expect(raw.stderr).toContain('no kept mail');
    expect(run(data, ['attachment', sha256(ANN_BYTES)]).status).toBe(2);
    if (testDatabaseIsPostgres()) expect(await keptContents(data, annMail, annFeedback, ANN_BYTES)).toBe(0);

    // Bob's mail and the attachment he shares with her stay, byte for byte.
    expect(postdesk([...desk(data), 'raw', sha256(bobMail)], { env: ENV }).stdout).toBe(bobMail.toString('utf8'));
    const shared = postdesk([...desk(data), 'attachment', sha256(SHARED_BYTES)], { env: ENV });
    expect(shared.status).toBe(0);
    expect(shared.stdout).toBe(SHARED_BYTES.toString());
    expect(ok(data, ['tickets', 'show', '1001'])).toContain(BOB_PHRASE);

    // The reports count her ticket still.
    const reportAfter = JSON.parse(ok(data, reportArgs));
    expect(reportAfter).toEqual(reportBefore);
    expect(reportBefore.current.total.created).toBe(2);
    expect(reportBefore.current.satisfaction.byAgent).toEqual({ 'sam@agents.example': expect.objectContaining({ rated: 1, csatPercent: 0 }) });
  });

  it('forget while `postdesk run` appends to its packs: her records are zeroed in place, and the service goes on', async () => {
    const { dataDir: live } = await cliDataDir();
    const child = postdeskAsync(['run', ...desk(live)], { env: ENV });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const drop = (name: string, mail: Buffer) => {
      fs.writeFileSync(path.join(live, 'inbox', 'tmp', name), mail);
      fs.renameSync(path.join(live, 'inbox', 'tmp', name), path.join(live, 'inbox', 'new', name));
    };
    try {
      await waitForOutput(child, /watching .*inbox[/\\]new/, 30_000);
      drop('ann.eml', annMail);
      await waitForOutput(child, /created #1000/, 30_000);
      const forgot = postdesk([...desk(live), 'customers', 'forget', ANN, '--confirm'], { env: ENV });
      expect(forgot.stderr).toBe('');
      // PostgreSQL keeps the contents in a table: no packs, so nothing to zero.
      if (!testDatabaseIsPostgres()) expect(forgot.stdout).toMatch(/packs of a running process zeroed in place/);
      // She writes again with the same attachment, and Bob with the one they shared: both kept anew.
      drop('ann-again.eml', mailWithAttachments(`Ann Private <${ANN}>`, 'Lamp again', 'lamp-2@customer.example', 'Still broken.', [['lamp.bin', ANN_BYTES]]));
      drop('bob.eml', bobMail);
      await waitForOutput(child, /created #1002/, 30_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const lamp = postdesk([...desk(live), 'attachment', sha256(ANN_BYTES)], { env: ENV });
    expect(lamp.stdout).toBe(ANN_BYTES.toString());
    expect(postdesk([...desk(live), 'attachment', sha256(SHARED_BYTES)], { env: ENV }).stdout).toBe(SHARED_BYTES.toString());
    expect(postdesk([...desk(live), 'raw', sha256(bobMail)], { env: ENV }).stdout).toBe(bobMail.toString());
    expect(postdesk([...desk(live), 'raw', sha256(annMail)], { env: ENV }).status).toBe(2);
    if (testDatabaseIsPostgres()) expect(await keptContents(live, annMail)).toBe(0);
    const packs = testDatabaseIsPostgres() ? [] : everyFile(path.join(live, 'raw'));
    expect(packs.some(({ bytes }) => bytes.includes(ANN_PHRASE))).toBe(false);
  }, 90_000);
});
