import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const faqDir = path.join(repo, 'faq');

function postdesk(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/postdesk.js', ...args], { cwd: repo, input, encoding: 'utf8', env: { ...process.env, POSTDESK_FAQ_DIR: faqDir } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('postdesk faq search', { timeout: 30_000 }, () => {
  it('prints [{slug, question, stage, category, score}] with --json', () => {
    const r = postdesk(['faq', 'search', 'I forgot my password', '--json', '--limit', '3']);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results).toHaveLength(3);
    expect(results[0]).toEqual({ slug: 'reset-password', question: 'How do I reset my password?', stage: 'new', category: 'account', score: expect.any(Number) });
  });

  it('searches Chinese with --locale zh and filters by --stage', () => {
    const r = postdesk(['faq', 'search', '滤网', '--locale', 'zh', '--stage', 'existing', '--json', '--faq-dir', faqDir]);
    const results = JSON.parse(r.stdout) as { slug: string; stage: string }[];
    expect(results[0].slug).toBe('replace-filter');
    expect(results.every((x) => x.stage === 'existing')).toBe(true);
  });

  it('with "-" answers each stdin line with one JSON array line, Chinese lines in Chinese', () => {
    const r = postdesk(['faq', 'search', '-', '--limit', '1'], 'where is my order\n\n快递到哪了\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0][0].slug).toBe('track-order');
    expect(lines[1]).toEqual([]);
    expect(lines[2][0]).toMatchObject({ slug: 'track-order', question: '我的订单到哪里了？' });
  });

  it('prints a readable list without --json', () => {
    const r = postdesk(['faq', 'search', 'refund']);
    expect(r.stdout).toMatch(/return-item/);
  });

  it.each([
    [['--limit', '0'], '--limit'],
    [['--stage', 'later'], '--stage'],
    [['--locale', 'fr'], '--locale'],
    [['--faq-dir', '/nonexistent'], 'not found'],
  ])('exits 2 on a usage error: %s', (args, message) => {
    const r = postdesk(['faq', 'search', 'x', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
