// The help center and the tickets, through the real site build: `faq stats --write` reorders each
// stage's questions by what tickets asked, and every answer page ends with Yes / No mailto links.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_PROMPT } from '../../src/faq/feedback-mail.ts';
import { postdesk } from '../helpers/cli.ts';
import { askTickets, countingDesk } from '../helpers/faq-asked.ts';
import { tempDir } from '../helpers/test-app.ts';
import { buildSite, REPO } from './helpers/build-site.ts';

const SUPPORT = 'help@nimbus.test';

async function build(faqDir: string): Promise<string> {
  const out = tempDir('postdesk-site-');
  const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: faqDir, POSTDESK_ADDRESS: SUPPORT }, out);
  if (code !== 0) throw new Error(`site build failed:\n${output}`);
  return out;
}

/** The sample FAQ's site, built once for the tests that only read it. */
let sampleSite: Promise<string> | undefined;
const sample = () => (sampleSite ??= build(path.join(REPO, 'faq')));

const page = (site: string, pathname: string) => fs.readFileSync(path.join(site, pathname, 'index.html'), 'utf8');

/** The questions of one category of a stage page, in the order shown. */
function categoryOrder(site: string, locale: string, stage: string, category: string): string[] {
  const html = page(site, `${locale}/${stage}`);
  const start = html.indexOf(`id="cat-${category}"`);
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/href="\/\w+\/q\/([a-z0-9-]+)\/"/g)].map((m) => m[1]);
}

describe('help center and tickets', { timeout: 120_000 }, () => {
  it('faq stats --write puts the most-asked questions first on the built site', async () => {
    const faqDir = path.join(tempDir('postdesk-faq-'), 'faq');
    fs.cpSync(path.join(REPO, 'faq'), faqDir, { recursive: true });
    const before = await build(faqDir);
    for (const locale of ['en', 'zh']) {
      expect(categoryOrder(before, locale, 'new', 'product')).toEqual(['setup-wifi', 'wifi-setup-fails', 'before-first-use', 'air-quality-light', 'auto-mode']);
    }

    const app = await countingDesk();
    await askTickets(app, [
      { slug: 'auto-mode', at: '2026-11-02T09:00:00Z' },
      { slug: 'auto-mode', at: '2026-11-03T09:00:00Z', language: 'zh' },
      { slug: 'auto-mode', at: '2026-11-04T09:00:00Z', alsoMatched: 'setup-wifi' },
      { slug: 'before-first-use', at: '2026-11-05T09:00:00Z' },
    ]);
    const data = app.config.dataDir;
    await app.close();
    const write = postdesk(['faq', 'stats', '--write', '--data', data, '--faq-dir', faqDir, '--now', '2026-11-10T00:00:00Z']);
    expect(write.stderr).toBe('');
    expect(write.status).toBe(0);

    const after = await build(faqDir);
    // Asked first (3, then 1); the unasked keep their editors' order among themselves.
    for (const locale of ['en', 'zh']) {
      expect(categoryOrder(after, locale, 'new', 'product')).toEqual(['auto-mode', 'before-first-use', 'setup-wifi', 'wifi-setup-fails', 'air-quality-light']);
    }
  });

  it.each([
    { locale: 'en' as const, question: 'Did this answer your question?', yes: 'Yes', no: 'No' },
    { locale: 'zh' as const, question: '这个回答解决你的问题了吗？', yes: '解决了', no: '没有' },
  ])('every answer page ($locale) ends with Yes / No mailto links naming the entry', async ({ locale, question, yes, no }) => {
    const site = await sample();
    const html = page(site, `${locale}/q/reset-password`);
    const article = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
    const feedback = article.slice(article.indexOf('class="answer-feedback"'));
    expect(feedback).toContain(`>${question}</h2>`);
    const links = [...feedback.matchAll(/<a [^>]*href="(mailto:[^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => ({ href: new URL(m[1].replace(/&amp;|&#38;/g, '&')), text: m[2] }));
    expect(links.map((l) => [l.text, l.href.pathname, l.href.searchParams.get('subject'), l.href.searchParams.get('body')])).toEqual([
      [yes, SUPPORT, '[faq:reset-password] yes', null],
      [no, SUPPORT, '[faq:reset-password] no', `${NO_PROMPT[locale]}\n\n`],
    ]);
    // Plain links: no script is needed to send them.
    expect(feedback).not.toMatch(/<script|onclick/);
    // On every answer page, each naming its own entry.
    const pages = fs.readdirSync(path.join(site, locale, 'q'));
    expect(pages.length).toBeGreaterThan(30);
    for (const slug of pages) expect(page(site, `${locale}/q/${slug}`)).toContain(`subject=${encodeURIComponent(`[faq:${slug}] no`)}`);
  });
});
