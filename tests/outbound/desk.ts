// A help desk for outbound tests: an App on a temporary directory whose SMTP points at a capture
// server, plus one-liners to feed it a mail and to run the sender once.
import type { App } from '../../src/app.ts';
import type { ConfigFile } from '../../src/config/schema.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import type { IngestResult } from '../../src/inbound/ingest-result.ts';
import { openDelivery } from '../../src/outbound/delivery.ts';
import { deliverDueMail, type SendSummary } from '../../src/outbound/sender.ts';
import { testApp, type TestClock } from '../helpers/test-app.ts';
import { beforeAll, afterAll } from 'vitest';
import { SmtpCapture, type CapturedMail } from '../harness/smtp.ts';
import { buildMail } from '../helpers/mail.ts';

export const AGENT = { name: 'Ann Lee', email: 'ann@agents.example', title: 'Support engineer' };
export const SECOND_AGENT = { name: 'Bob Marsh', email: 'bob@agents.example' };

export type Desk = App & { clock: TestClock };

export async function deskWith(smtp: SmtpCapture | undefined, config: ConfigFile = {}, opts: { clock?: TestClock; dataDir?: string } = {}): Promise<Desk> {
  return testApp(
    {
      address: 'support@desk.example',
      helpUrl: 'https://help.desk.example',
      agents: [AGENT],
      ...(smtp ? { smtp: smtp.config } : {}),
      ...config,
    },
    opts,
  );
}

/**
 * For a describe block: a capture SMTP server and a desk sending to it, made before its tests and
 * closed after them. Read them as `suite.smtp` and `suite.desk` inside the tests.
 */
export function deskForSuite(config: ConfigFile = {}): { smtp: SmtpCapture; desk: Desk } {
  const suite = {} as { smtp: SmtpCapture; desk: Desk };
  beforeAll(async () => {
    suite.smtp = await SmtpCapture.start();
    suite.desk = await deskWith(suite.smtp, config);
  });
  afterAll(async () => {
    await suite.desk.close();
    await suite.smtp.down();
  });
  return suite;
}

/** Runs fn on the desk and closes it afterwards, whatever happens. */
export async function withDesk<T>(desk: Desk, fn: (desk: Desk) => Promise<T> | T): Promise<T> {
  try {
    return await fn(desk);
  } finally {
    await desk.close();
  }
}

export function receive(app: App, raw: Buffer): Promise<IngestResult> {
  return ingestRawMail(app, { source: 'test', mailbox: app.mailboxes[0], raw, receivedAt: app.now() });
}

/** Runs the sender once over everything due now. */
export async function flush(app: App): Promise<SendSummary> {
  const delivery = openDelivery(app);
  try {
    return await deliverDueMail(app, delivery);
  } finally {
    delivery.close();
  }
}

/** The reply a mail client builds when its user presses Reply on a captured mail and writes `text` above the quote. */
export function replyToCaptured(mail: CapturedMail, opts: { from: string; text: string; quote?: boolean; headers?: Record<string, string> }): Buffer {
  const replyTo = mail.parsed.replyTo?.value[0]?.address ?? mail.parsed.from!.value[0].address!;
  const messageId = mail.parsed.messageId!.replace(/^<|>$/g, '');
  const references = [...refs(mail.parsed.references), messageId];
  const quoted = (mail.parsed.text ?? '').trimEnd().split('\n').map((l) => `> ${l}`).join('\n');
  const text = opts.quote === false ? opts.text : `${opts.text}\n\nOn Mon, 2 Nov 2026 at 09:05, ${mail.parsed.from!.text} wrote:\n${quoted}\n`;
  return buildMail({ from: opts.from, to: replyTo, subject: `Re: ${mail.parsed.subject}`, inReplyTo: messageId, references, text, headers: opts.headers });
}

function refs(value: string | string[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/);
  return list.map((r) => r.replace(/^<|>$/g, '')).filter(Boolean);
}
