// Postdesk behind a real MTA: exim defers a mail while `ingest -` answers 75 (no bounce to the
// customer) and delivers it on the next queue run once the data directory is fixed; `deliver` puts a
// mail from exim into data/inbox/new. The pipes run as `nobody`, as the README tells to set up.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { POSTDESK_BIN, postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';
import { describeWithExim, startExim, type Exim } from '../harness/exim.ts';
import { systemUser } from '../harness/imap-server.ts';

describeWithExim('Postdesk behind exim', () => {
  let exim: Exim;
  let data: string;
  let inbox: string;

  beforeAll(async () => {
    const root = tempDir();
    fs.chmodSync(root, 0o755);
    // Owned by root, so the pipe (nobody) cannot write it: the administrator's mistake under test.
    data = path.join(root, 'data');
    fs.mkdirSync(data, { mode: 0o755 });
    inbox = path.join(root, 'deliver-data');
    fs.mkdirSync(inbox, { mode: 0o700 });
    const nobody = systemUser('nobody');
    fs.chownSync(inbox, nobody.uid, nobody.gid);
    const pipe = (args: string) => `"|${process.execPath} ${POSTDESK_BIN} ${args}"`;
    exim = await startExim({ support: pipe(`ingest - --data ${data}`), intake: pipe(`deliver --data ${inbox}`) });
  });

  afterAll(async () => {
    await exim?.stop();
  });

  async function send(to: string, mail: Buffer): Promise<void> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: exim.port, secure: false, ignoreTLS: true });
    await transport.sendMail({ envelope: { from: 'ann@customer.example', to: `${to}@${exim.domain}` }, raw: mail });
    transport.close();
  }

  async function logShows(pattern: RegExp): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!pattern.test(exim.mainLog())) {
      if (Date.now() > deadline) throw new Error(`exim's log never showed ${pattern}:\n${exim.mainLog()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('keeps the mail queued while `ingest -` answers 75, and delivers it once the data directory is fixed', async () => {
    const mail = buildMail({ from: 'Ann <ann@customer.example>', to: `support@example.com`, subject: 'Behind exim', messageId: 'exim1@customer.example' });
    await send('support', mail);
    exim.runQueue();
    await logShows(/== \|.*ingest - .* defer .*returned 75/);
    expect(exim.queued(), exim.mainLog()).toBe(1);
    expect(exim.mainLog()).not.toMatch(/ \*\* |<= <>/); // no failure, no bounce message

    fs.chownSync(data, systemUser('nobody').uid, systemUser('nobody').gid);
    exim.runQueue();
    await logShows(/=> \|.*ingest - .*\n.*Completed/);
    expect(exim.queued(), exim.mainLog()).toBe(0);
    expect(exim.mainLog()).not.toMatch(/ \*\* |<= <>/);
    const tickets = JSON.parse(postdesk(['tickets', 'list', '--json', '--data', data]).stdout);
    expect(tickets).toMatchObject([{ number: 1000, subject: 'Behind exim' }]);
  });

  it('hands a mail to `deliver`, which leaves it in data/inbox/new for `postdesk run`', async () => {
    const mail = buildMail({ from: 'Bob <bob@customer.example>', subject: 'Into the inbox' });
    await send('intake', mail);
    exim.runQueue();
    await logShows(/=> \|.*deliver --data/);
    const [name] = fs.readdirSync(path.join(inbox, 'inbox', 'new'));
    const delivered = fs.readFileSync(path.join(inbox, 'inbox', 'new', name), 'utf8');
    expect(delivered).toContain('Subject: Into the inbox');
    expect(fs.statSync(path.join(inbox, 'inbox', 'new', name))).toMatchObject({ uid: systemUser('nobody').uid, mode: 0o100600 });
  });
});
