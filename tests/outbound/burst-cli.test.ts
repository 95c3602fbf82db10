// A burst of 100 mails through the real CLI (`postdesk ingest`, then `postdesk outbox flush` into the
// in-process SMTP capture): a robot writing from burst+N@ gets at most outbound.maxAutoMailsPerHour
// acknowledgements, and the agent gets the first notifications and then one digest, not 100 mails.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, postdesk, postdeskAsync } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { cliDataDir, tempDir } from '../helpers/test-app.ts';
import { SmtpCapture } from '../harness/smtp.ts';

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await SmtpCapture.start();
});
afterAll(() => smtp.down());

/** Runs postdesk without blocking this process: the SMTP capture it sends to lives here. */
function postdeskRun(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = postdeskAsync(args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe('a 100-mail burst through the CLI', () => {
  it('gets 5 acknowledgements, and the agent 20 notifications and one digest of the other 80 tickets', async () => {
    const { args: dataArgs } = await cliDataDir();
    const mails = tempDir();
    const env = { POSTDESK_ADDRESS: 'support@desk.example', POSTDESK_AGENTS: 'Ann Lee <ann@agents.example>', POSTDESK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` };
    const files = Array.from({ length: 100 }, (_, i) => {
      const file = path.join(mails, `burst-${String(i).padStart(3, '0')}.eml`);
      fs.writeFileSync(file, buildMail({ from: `Burst Robot <burst+${i}@burst.example>`, subject: `Burst ${i}`, messageId: `burst-${i}@burst.example` }));
      return file;
    });
    const run = async (args: string[], now: string) => {
      const r = await postdeskRun([...args, '--json', ...dataArgs, '--now', now], env);
      expect(r.stderr, args.join(' ')).not.toMatch(/error/i);
      expect(r.status, args.join(' ')).toBe(0);
      return jsonLines(r.stdout);
    };
    await run(['ingest', ...files], '2026-11-02T09:00:00Z');
    expect((await run(['outbox', 'flush'], '2026-11-02T09:01:00Z'))[0]).toMatchObject({ sent: 25, failed: 0 });
    const toRobot = () => smtp.mails.filter((m) => m.envelope.to[0].endsWith('@burst.example'));
    const toAgent = () => smtp.mails.filter((m) => m.envelope.to.includes('ann@agents.example'));
    expect(toRobot()).toHaveLength(5);
    expect(toAgent()).toHaveLength(20);

    // The window (15 minutes) after the first held notification has passed: the next flush sends the digest.
    expect((await run(['outbox', 'flush'], '2026-11-02T09:16:00Z'))[0]).toMatchObject({ sent: 1, failed: 0 });
    expect(toRobot()).toHaveLength(5);
    expect(toAgent()).toHaveLength(21);
    const digest = toAgent().at(-1)!;
    expect(digest.parsed.subject).toBe('Digest: 80 tickets while notifications were paused');
    expect(digest.parsed.text!.match(/^- \[#\d+\]/gm)).toHaveLength(80);
    const held = jsonLines<{ status: string; kind: string }[]>(postdesk(['outbox', 'list', '--json', ...dataArgs, '--status', 'digested'], { env }).stdout)[0];
    expect(held).toHaveLength(80);
  });
});
