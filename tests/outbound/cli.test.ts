// The CLI surface: `postdesk run` with no SMTP writes .eml files to data/outbox-sent/ within seconds
// of a mail arriving; `postdesk outbox flush` drains once and `outbox list` shows the queue.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { jsonLines, postdesk, postdeskAsync } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { listWorkers } from '../../src/store/workers.ts';
import { cliDataDir, testApp } from '../helpers/test-app.ts';

const ENV = { POSTDESK_ADDRESS: 'support@desk.example', POSTDESK_AGENTS: 'Ann Lee <ann@agents.example>' };

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('postdesk CLI', () => {
  it('run: without SMTP, the acknowledgement and the notification appear as .eml files', async () => {
    const { dataDir: data, args } = await cliDataDir();
    const child = postdeskAsync(['run', ...args], { env: ENV });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const inbox = path.join(data, 'inbox');
      await waitFor('the maildir', () => (fs.existsSync(path.join(inbox, 'new')) ? true : undefined));
      fs.writeFileSync(path.join(inbox, 'tmp', 'm1'), buildMail({ from: 'tina@customer.example', subject: 'Trial run' }));
      fs.renameSync(path.join(inbox, 'tmp', 'm1'), path.join(inbox, 'new', 'm1'));
      const sent = path.join(data, 'outbox-sent');
      const files = await waitFor('two .eml files', () => {
        const found = fs.existsSync(sent) ? fs.readdirSync(sent).filter((f) => f.endsWith('.eml')) : [];
        return found.length === 2 ? found : undefined;
      });
      const subjects = await Promise.all(files.map(async (f) => (await simpleParser(fs.readFileSync(path.join(sent, f)))).subject));
      expect(subjects.sort()).toEqual(['[#1000] New ticket: Trial run', '[#1000] We received your message: Trial run']);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(stderr).toContain('sender');
  });

  it('outbox flush and outbox list', async () => {
    const { dataDir: data, args } = await cliDataDir();
    const ingest = postdesk(['ingest', ...args, '-'], { input: buildMail({ from: 'uma@customer.example', subject: 'Queued' }), env: ENV });
    expect(ingest.status).toBe(0);
    const queued = jsonLines(postdesk(['outbox', 'list', '--json', ...args], { env: ENV }).stdout)[0] as unknown as { status: string; kind: string }[];
    expect(queued.map((r) => [r.kind, r.status])).toEqual([
      ['acknowledgement', 'queued'],
      ['agent-new-ticket', 'queued'],
    ]);
    const flush = postdesk(['outbox', 'flush', '--json', ...args], { env: ENV });
    expect(flush.stderr).toBe('');
    expect(jsonLines(flush.stdout)[0]).toMatchObject({ sent: 2, retrying: 0, failed: 0, via: path.join(data, 'outbox-sent') });
    expect(fs.readdirSync(path.join(data, 'outbox-sent'))).toHaveLength(2);
    expect(jsonLines(postdesk(['outbox', 'flush', '--json', ...args], { env: ENV }).stdout)[0]).toMatchObject({ sent: 0 });
    // Columns wide enough for the longest status (digested) and the longest kind listed.
    expect(postdesk(['outbox', 'list', ...args], { env: ENV }).stdout).toBe(
      ['1  sent      acknowledgement   uma@customer.example', '2  sent      agent-new-ticket  ann@agents.example', ''].join('\n'),
    );
    // Each flush is a worker while it runs (a `postdesk run` beside it leaves its claims alone), one-shot:
    // its row is gone once it ends, so a flush from cron does not fill `postdesk workers`.
    const app = await testApp({}, { dataDir: data });
    try {
      expect(await listWorkers(app.db)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
