// A help desk for outbound tests: an App on a temporary directory whose SMTP points at a capture
// server, plus one-liners to feed it a mail and to run the sender once.
import type { App } from '../../src/app.ts';
import type { ConfigFile } from '../../src/config/schema.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import type { IngestResult } from '../../src/inbound/context.ts';
import { openDelivery } from '../../src/outbound/delivery.ts';
import { deliverDueMail, type SendSummary } from '../../src/outbound/sender.ts';
import { testApp, type TestClock } from '../helpers/test-app.ts';
import type { SmtpCapture } from '../harness/smtp.ts';

export const AGENT = { name: 'Ann Lee', email: 'ann@agents.example', title: 'Support engineer' };
export const SECOND_AGENT = { name: 'Bob Marsh', email: 'bob@agents.example' };

export type Desk = App & { clock: TestClock };

export function deskWith(smtp: SmtpCapture | undefined, config: ConfigFile = {}, opts: { clock?: TestClock } = {}): Desk {
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
