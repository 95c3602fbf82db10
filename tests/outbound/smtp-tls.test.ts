// A local MTA (exim, Postfix) offers STARTTLS with a self-signed certificate by default. Postdesk
// checks certificates, so without a setting every mail is retried; `smtp.ca` trusts that
// certificate, and `smtp.rejectUnauthorized: false` (loopback only) skips the check.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOpenssl, selfSignedCertificate, type Certificate } from '../harness/certificate.ts';
import { SmtpCapture } from '../harness/smtp.ts';
import { tempDir } from '../helpers/test-app.ts';
import { buildMail } from '../helpers/mail.ts';
import { deskWith, flush, receive, withDesk } from './desk.ts';
import { listOutbox } from '../../src/store/outbox.ts';

describeWithOpenssl('SMTP over STARTTLS with a self-signed certificate', () => {
  let smtp: SmtpCapture;
  let certificate: Certificate;
  beforeAll(async () => {
    certificate = selfSignedCertificate(tempDir());
    smtp = await SmtpCapture.start({ tls: certificate });
  });
  afterAll(() => smtp.down());

  /** One customer mail in, its acknowledgement and the agent's notification sent once; what the sender made of them. */
  async function acknowledge(trust: Record<string, unknown>) {
    return withDesk(await deskWith(undefined, { smtp: { ...smtp.config, ...trust } }), async (desk) => {
      await receive(desk, buildMail({ from: 'jo@customer.example', to: 'support@desk.example', subject: 'Where is my order?' }));
      const summary = await flush(desk);
      return { summary, errors: (await listOutbox(desk.db)).map((r) => r.lastError) };
    });
  }

  it('retries every mail without a setting: the certificate is checked', async () => {
    const { summary, errors } = await acknowledge({});
    expect(summary).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect(errors).toEqual([expect.stringMatching(/self-signed certificate/), expect.stringMatching(/self-signed certificate/)]);
    expect(smtp.mails).toHaveLength(0);
  });

  it('delivers over TLS once smtp.ca names the certificate', async () => {
    const before = smtp.mails.length;
    const { summary } = await acknowledge({ ca: certificate.certFile });
    expect(summary).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(smtp.mails.slice(before).map((m) => m.secure)).toEqual([true, true]);
  });

  it('delivers over unchecked TLS with rejectUnauthorized false, as the host is loopback', async () => {
    const before = smtp.mails.length;
    const { summary } = await acknowledge({ rejectUnauthorized: false });
    expect(summary).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(smtp.mails.slice(before).map((m) => m.secure)).toEqual([true, true]);
  });
});
