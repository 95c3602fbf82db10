// A FAQ draft (`postdesk faq gaps --draft`) next to the published questions: the real site build
// makes no page for it and leaves it out of every list, the sitemap and the search index.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { draftText } from '../../src/gaps/draft-files.ts';
import { buildSite, REPO } from './helpers/build-site.ts';

const QUESTION = 'Can I plug the purifier into a 110 volt socket abroad?';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('a FAQ draft', { timeout: 240_000 }, () => {
  it('is not built: no page, no link, not in the search index', async () => {
    const faq = mkdtempSync(path.join(tmpdir(), 'postdesk-draft-faq-'));
    cpSync(path.join(REPO, 'faq'), faq, { recursive: true });
    const draft = { language: 'en' as const, question: QUESTION, stage: 'existing' as const, category: 'product', tags: ['voltage'], tickets: [1001, 1004] };
    // With an answer written, so that only `draft: true` keeps it off the site.
    writeFileSync(path.join(faq, 'en', 'voltage-abroad.md'), `${draftText(draft, '2026-11-05')}\nYes: the power supply takes 100–240 V.\n`);
    const out = mkdtempSync(path.join(tmpdir(), 'postdesk-site-'));
    const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: faq }, out);
    expect(code, output).toBe(0);

    expect(existsSync(path.join(out, 'en/q/reset-password/index.html'))).toBe(true);
    expect(existsSync(path.join(out, 'en/q/voltage-abroad'))).toBe(false);
    const built = filesUnder(out).filter((f) => /\.(html|json|xml)$/.test(f));
    expect(built.some((f) => f.endsWith('en/search-index.json'))).toBe(true);
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain('voltage-abroad');
      expect(text, file).not.toContain('110 volt');
    }
  });
});
