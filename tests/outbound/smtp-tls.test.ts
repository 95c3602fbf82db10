// A local MTA (exim, Postfix) offers STARTTLS with a self-signed certificate by default. Postdesk
// checks certificates, so without a setting every mail is retried; `smtp.ca` trusts that
// certificate, and `smtp.rejectUnauthorized: false` (loopback only) skips the check. A server
// beyond loopback that offers no STARTTLS gets neither the password nor a customer's mail.
import dns from 'node:dns/promises';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithOpenssl, selfSignedCertificate, type Certificate } from '../harness/certificate.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { tempDir } from '../helpers/test-app.ts';
import { buildMail } from '../helpers/mail.ts';
import { deskWith, flush, receive, withDesk } from './desk.ts';
import { listOutbox } from '../../src/store/outbox.ts';

/** One customer mail in, its acknowledgement and the agent's notification sent once; what the sender made of them. */
async function acknowledge(smtp: SmtpCapture, settings: Record<string, unknown>) {
  return withDesk(await deskWith(undefined, { smtp: { ...smtp.config, ...settings } }), async (desk) => {
    await receive(desk, buildMail({ from: 'jo@customer.example', to: 'support@desk.example', subject: 'Where is my order?' }));
    const summary = await flush(desk);
    return { summary, errors: (await listOutbox(desk.db)).map((r) => r.lastError) };
  });
}

describeWithOpenssl('SMTP over STARTTLS with a self-signed certificate', () => {
  let smtp: SmtpCapture;
  let certificate: Certificate;
  beforeAll(async () => {
    certificate = selfSignedCertificate(tempDir());
    smtp = await SmtpCapture.start({ tls: certificate });
  });
  afterAll(() => smtp.down());

  it('retries every mail without a setting: the certificate is checked', async () => {
    const { summary, errors } = await acknowledge(smtp, {});
    expect(summary).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect(errors).toEqual([expect.stringMatching(/self-signed certificate/), expect.stringMatching(/self-signed certificate/)]);
    expect(smtp.mails).toHaveLength(0);
  });

  it('delivers over TLS once smtp.ca names the certificate', async () => {
    const before = smtp.mails.length;
    const { summary } = await acknowledge(smtp, { ca: certificate.certFile });
    expect(summary).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(smtp.mails.slice(before).map((m) => m.secure)).toEqual([true, true]);
  });

  it('delivers over unchecked TLS with rejectUnauthorized false, as the host is loopback', async () => {
    const before = smtp.mails.length;
    const { summary } = await acknowledge(smtp, { rejectUnauthorized: false });
    expect(summary).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(smtp.mails.slice(before).map((m) => m.secure)).toEqual([true, true]);
  });
});

/**
 * A name for this machine that Postdesk does not take for loopback: its host name (a name, wherever it
 * resolves to), else the address of a network interface.
 */
async function beyondLoopback(): Promise<{ address: string; host: string }> {
  const host = os.hostname();
  const named = await dns.lookup(host, { family: 4 }).catch(() => undefined);
  if (named && host.toLowerCase() !== 'localhost') return { address: named.address, host };
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal);
  if (!external) throw new Error(`no name for this machine beyond loopback: host name ${host} does not resolve, and no network interface has an IPv4 address`);
  return { address: external.address, host: external.address };
}

describe('SMTP to a host beyond loopback without STARTTLS', () => {
  let plain: SmtpCapture;
  beforeAll(async () => {
    plain = await SmtpCapture.start({ listen: await beyondLoopback() });
  });
  afterAll(() => plain.down());

  it('sends nothing in plain text, not the password nor the mail: every mail is retried, saying why', async () => {
    const { summary, errors } = await acknowledge(plain, { user: 'postdesk', password: 'a-long-smtp-password-never-sent-in-the-clear' });
    expect(summary).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect(errors).toEqual([expect.stringMatching(/STARTTLS/), expect.stringMatching(/STARTTLS/)]);
    expect(plain.mails).toHaveLength(0);
  });
});
