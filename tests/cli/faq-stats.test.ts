// `postdesk faq stats` through the real CLI: per FAQ entry the tickets that asked it (best match),
// were offered it, solved themselves with it, and the counted Yes/No feedback, over a period; and
// `--write`, which puts what was asked into the files' popularity and changes nothing else in them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { feedbackSubject } from '../../src/faq/feedback-mail.ts';
import { ingestRawMail } from '../../src/inbound/pipeline.ts';
import { updateTicket } from '../../src/store/tickets.ts';
import { postdesk } from '../helpers/cli.ts';
import { askTickets, countingDesk } from '../helpers/faq-asked.ts';
import { buildMail } from '../helpers/mail.ts';
import { REPO_ROOT } from '../helpers/shared-corpora.ts';
import { tempDir } from '../helpers/test-app.ts';

const NOW = '2026-11-10T12:00:00Z';

function copyFaq(): string {
  const dir = path.join(tempDir('postdesk-faq-'), 'faq');
  fs.cpSync(path.join(REPO_ROOT, 'faq'), dir, { recursive: true });
  return dir;
}

/** A desk with a few weeks of tickets and feedback, closed again for the CLI. */
async function deskWithHistory(): Promise<string> {
  const app = await countingDesk();
  const [, , selfServed] = await askTickets(app, [
    { slug: 'reset-password', at: '2026-11-02T09:00:00Z', suggested: true, alsoMatched: 'change-email' },
    { slug: 'reset-password', at: '2026-11-03T09:00:00Z', language: 'zh' },
    { slug: 'track-order', at: '2026-11-04T09:00:00Z', suggested: true },
    // Before the default 90 days: not counted.
    { slug: 'track-order', at: '2026-07-01T09:00:00Z', suggested: true },
    // An entry the editors have since removed from the FAQ.
    { slug: 'retired-question', at: '2026-11-06T09:00:00Z' },
  ]);
  await inTransaction(app, (app) =>
    updateTicket(app.db, selfServed.id, { status: 'resolved', resolvedAt: new Date('2026-11-04T10:00:00Z'), resolution: 'self-served', selfServedFaq: 'track-order' }),
  );
  const feedback = async (from: string, slug: string, helpful: boolean, at: string) => {
    app.clock.set(at);
    await ingestRawMail(app, { source: 'feedback', mailbox: app.mailboxes[0], raw: buildMail({ from, subject: feedbackSubject(slug, helpful), text: '' }), receivedAt: app.now() });
  };
  await feedback('a@customer.example', 'reset-password', true, '2026-11-05T09:00:00Z');
  await feedback('a@customer.example', 'reset-password', true, '2026-11-05T09:01:00Z'); // rate-limited
  await feedback('b@customer.example', 'reset-password', false, '2026-11-05T09:02:00Z');
  const data = app.config.dataDir;
  await app.close();
  return data;
}

/** On the desk's database: its config (in the data directory) names it when it is PostgreSQL. */
const stats = (data: string, faqDir: string, ...args: string[]) =>
  postdesk(['faq', 'stats', '--data', data, '--config', path.join(data, 'postdesk.config.json'), '--faq-dir', faqDir, '--now', NOW, ...args]);

describe('postdesk faq stats', () => {
  it('counts per entry: asked (best match), suggested, self-served, Yes/No within the rate limit', async () => {
    const data = await deskWithHistory();
    const faqDir = copyFaq();
    const run = stats(data, faqDir, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ since: '2026-08-12T12:00:00.000Z', until: '2026-11-10T12:00:00.000Z' });
    const bySlug = Object.fromEntries(out.entries.map((e: { slug: string }) => [e.slug, e]));
    expect(bySlug['reset-password']).toEqual({
      slug: 'reset-password',
      question: { en: 'How do I reset my password?', zh: expect.any(String) },
      matched: 2, suggested: 1, selfServed: 0, helpful: 1, notHelpful: 1, inFaq: true,
    });
    expect(bySlug['track-order']).toMatchObject({ matched: 1, suggested: 1, selfServed: 1, helpful: 0, notHelpful: 0 });
    // A runner-up match is not what the customer asked.
    expect(bySlug['change-email']).toMatchObject({ matched: 0, suggested: 0 });
    expect(bySlug['retired-question']).toEqual({ slug: 'retired-question', question: {}, matched: 1, suggested: 0, selfServed: 0, helpful: 0, notHelpful: 0, inFaq: false });
    // Every FAQ entry is listed (and what was counted but is gone), most asked first.
    expect(out.entries).toHaveLength(35);
    expect(out.entries.slice(0, 3).map((e: { slug: string }) => e.slug)).toEqual(['reset-password', 'retired-question', 'track-order']);
    expect(out).not.toHaveProperty('written');

    const since = JSON.parse(stats(data, faqDir, '--json', '--since', '2026-11-03').stdout);
    expect(since.entries.find((e: { slug: string }) => e.slug === 'reset-password')).toMatchObject({ matched: 1, suggested: 0 });
    const longAgo = JSON.parse(stats(data, faqDir, '--json', '--since', '2026-01-01').stdout);
    expect(longAgo.entries.find((e: { slug: string }) => e.slug === 'track-order')).toMatchObject({ matched: 2, suggested: 2 });

    const text = stats(data, faqDir);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^asked +suggested +self-served +yes +no +entry +question$/m);
    expect(text.stdout).toMatch(/^2 +1 +0 +1 +1 +reset-password +How do I reset my password\?$/m);
    expect(text.stdout).toMatch(/^1 +0 +0 +0 +0 +retired-question \(not in the FAQ\)$/m);
  });

  it('refuses a date it cannot read, in one line', async () => {
    const run = postdesk(['faq', 'stats', '--data', tempDir(), '--faq-dir', copyFaq(), '--since', 'last tuesday']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('postdesk: --since: not an ISO date: last tuesday\n');
  });

  it('--write sets each file\'s popularity to its ticket count and leaves every other byte alone', async () => {
    const data = await deskWithHistory();
    const faqDir = copyFaq();
    // Files as editors leave them: Windows line ends with a comment on the line, and no popularity at all.
    const crlf = path.join(faqDir, 'zh/reset-password.md');
    fs.writeFileSync(crlf, fs.readFileSync(crlf, 'utf8').replace(/^popularity: \d+$/m, 'popularity: 5   # set by hand').replace(/\n/g, '\r\n'));
    const bare = path.join(faqDir, 'en/track-order.md');
    fs.writeFileSync(bare, fs.readFileSync(bare, 'utf8').replace(/^popularity: \d+\n/m, ''));
    const files = fs.readdirSync(faqDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join(faqDir, f));
    const before = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));

    const run = stats(data, faqDir, '--json', '--write');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const written: string[] = JSON.parse(run.stdout).written;

    const popularity = (text: string) => text.match(/^popularity: (\d+)/m)?.[1];
    expect(popularity(fs.readFileSync(path.join(faqDir, 'en/reset-password.md'), 'utf8'))).toBe('2');
    expect(fs.readFileSync(crlf, 'utf8')).toBe(before.get(crlf)!.replace('popularity: 5   # set by hand', 'popularity: 2   # set by hand'));
    expect(fs.readFileSync(bare, 'utf8')).toBe(before.get(bare)!.replace(/\n---\n/, '\npopularity: 1\n---\n'));
    for (const file of files) {
      const after = fs.readFileSync(file, 'utf8');
      // Only the popularity line may differ (or be added, where there was none).
      const strip = (text: string) => text.replace(/^popularity: .*\r?\n/m, '');
      expect(strip(after), file).toBe(strip(before.get(file)!));
      expect(written.includes(file), file).toBe(after !== before.get(file));
    }
    expect(written).toHaveLength(68); // every sample entry had a hand-set popularity above its ticket count
    // Run again: nothing left to change.
    expect(JSON.parse(stats(data, faqDir, '--json', '--write').stdout).written).toEqual([]);
  });
});
