// The cases every real MTA in front of Postdesk must pass (mta-exim.test.ts, mta-postfix.test.ts):
// the MTA defers a mail while `ingest -` answers 75 (no bounce to the customer) and delivers it once
// on a retry after the data directory is fixed; `deliver` puts a mail from the MTA into
// data/inbox/new. The pipes run as `nobody`, as the README tells to set up.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { POSTDESK_BIN, postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';
import { systemUser } from '../harness/imap-server.ts';
import { sendSmtp, waitFor, type Mta, type StartMta } from '../harness/mta.ts';

export function behindMtaCases(startMta: StartMta): void {
  let mta: Mta;
  let data: string;
  let inbox: string;
  const nobody = () => systemUser('nobody');

  beforeAll(async () => {
    const root = tempDir();
    fs.chmodSync(root, 0o755);
    // Owned by root, so the pipe (nobody) cannot write it: the administrator's mistake under test.
    data = path.join(root, 'data');
    fs.mkdirSync(data, { mode: 0o755 });
    inbox = path.join(root, 'deliver-data');
    fs.mkdirSync(inbox, { mode: 0o700 });
    fs.chownSync(inbox, nobody().uid, nobody().gid);
    const pipe = (args: string) => `"|${process.execPath} ${POSTDESK_BIN} ${args}"`;
    mta = await startMta({ support: pipe(`ingest - --data ${data}`), intake: pipe(`deliver --data ${inbox}`) });
  });

  afterAll(async () => {
    await mta?.stop();
  });

  it('keeps the mail queued while `ingest -` answers 75, and delivers it once the data directory is fixed', async () => {
    const mail = buildMail({ from: 'Ann <ann@customer.example>', to: 'support@example.com', subject: `Behind ${mta.name}`, messageId: `${mta.name}1@customer.example` });
    await sendSmtp(mta, 'ann@customer.example', 'support', mail);
    mta.retryQueue();
    await waitFor(mta, 'deferred the mail', () => {
      expect(mta.log()).not.toMatch(mta.bouncePattern); // no failure, no bounce to the customer
      return mta.deferredPattern('support').test(mta.log());
    });
    expect(mta.queued(), mta.log()).toBe(1);

    fs.chownSync(data, nobody().uid, nobody().gid);
    mta.retryQueue();
    await waitFor(mta, 'delivered the mail', () => mta.deliveredPattern('support').test(mta.log()));
    await waitFor(mta, 'emptied its queue', () => mta.queued() === 0);
    expect(mta.log()).not.toMatch(mta.bouncePattern);
    const tickets = JSON.parse(postdesk(['tickets', 'list', '--json', '--data', data]).stdout);
    expect(tickets).toMatchObject([{ number: 1000, subject: `Behind ${mta.name}` }]);
  });

  it('hands a mail to `deliver`, which leaves it in data/inbox/new for `postdesk run`', async () => {
    const mail = buildMail({ from: 'Bob <bob@customer.example>', subject: 'Into the inbox' });
    await sendSmtp(mta, 'bob@customer.example', 'intake', mail);
    mta.retryQueue();
    await waitFor(mta, 'delivered to `deliver`', () => mta.deliveredPattern('intake').test(mta.log()));
    const [name] = fs.readdirSync(path.join(inbox, 'inbox', 'new'));
    const delivered = fs.readFileSync(path.join(inbox, 'inbox', 'new', name), 'utf8');
    expect(delivered).toContain('Subject: Into the inbox');
    expect(fs.statSync(path.join(inbox, 'inbox', 'new', name))).toMatchObject({ uid: nobody().uid, mode: 0o100600 });
  });
}
