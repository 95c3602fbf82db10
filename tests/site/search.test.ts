// The search box in a real browser: excerpts with the matched words, the keyboard shortcut, the
// index loaded only when the box is focused, and what the form does without JavaScript.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildSite } from './helpers/build-site.ts';
import { launchChromium, skipBrowserTests } from './helpers/chromium.ts';
import { serveDirectory, type StaticServer } from './helpers/static-server.ts';

const SUPPORT = 'help@nimbus.test';

describe.skipIf(skipBrowserTests)('search box in a browser', { timeout: 90_000 }, () => {
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    const outDir = mkdtempSync(path.join(tmpdir(), 'postdesk-site-search-'));
    const { code, output } = await buildSite({ POSTDESK_ADDRESS: SUPPORT }, outDir);
    if (code !== 0) throw new Error(`site build failed:\n${output}`);
    server = await serveDirectory(outDir);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh page in a fresh context (an empty cache, so every fetch is seen). */
  const open = async (pathname: string, options: Parameters<Browser['newContext']>[0] = {}) => {
    await context?.close();
    context = await browser.newContext(options);
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(server.url + pathname);
    return page;
  };
  const typeQuery = async (query: string) => {
    await page.locator('#search-input').pressSequentially(query, { delay: 30 });
    await page.locator(`.search-results:not([hidden])[data-query="${query}"]`).waitFor();
  };
  const resultItem = (href: string) => page.locator('.search-results li', { has: page.locator(`a[href="${href}"]`) });

  it('loads the search index on the first focus of the box, not with the page', async () => {
    await open('/en/q/reset-password/');
    const indexRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('search-index')) indexRequests.push(new URL(r.url()).pathname);
    });
    await page.waitForLoadState('networkidle');
    expect(indexRequests).toEqual([]);
    const loaded = page.waitForResponse((r) => r.url().endsWith('/en/search-index.json'));
    await page.locator('#search-input').focus();
    await loaded;
    expect(indexRequests).toEqual(['/en/search-index.json']);
  });

  it.each([
    { locale: 'en', query: 'spam folder', slug: 'reset-password', marks: ['spam', 'folder'], max: 160 },
    // Single characters count as matches in Chinese (as in the index), so 邮 is marked alone too.
    { locale: 'zh', query: '垃圾邮件', slug: 'reset-password', marks: ['垃圾邮件'], max: 80 },
  ])('shows an excerpt of the answer with the matched words: $locale "$query"', async ({ locale, query, slug, marks, max }) => {
    await open(`/${locale}/`);
    await typeQuery(query);
    const excerpt = resultItem(`/${locale}/q/${slug}/`).locator('.search-result-excerpt');
    expect(await excerpt.locator('mark').allTextContents()).toEqual(expect.arrayContaining(marks));
    const text = (await excerpt.textContent())!;
    expect(text.length).toBeLessThanOrEqual(max + 2); // and an ellipsis at each cut end
    expect(text).not.toMatch(/[*#]/); // the answer as a reader sees it, not its Markdown
  });

  it('"/" and Ctrl+K put the cursor in the search box, but "/" typed in another field stays there', async () => {
    await open('/en/q/reset-password/');
    const activeId = () => page.evaluate(() => document.activeElement?.id);
    await page.keyboard.press('/');
    expect(await activeId()).toBe('search-input');
    expect(await page.locator('#search-input').inputValue()).toBe('');
    await page.locator('#search-input').fill('filter');
    await page.locator('#search-input').blur(); // (clicking the page could hit the open results panel)
    await page.keyboard.press('Control+k');
    expect(await activeId()).toBe('search-input');
    // Selected, so typing replaces the last search.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).selectionEnd)).toBe('filter'.length);
    await page.evaluate(() => {
      const field = Object.assign(document.createElement('textarea'), { id: 'other-field' });
      document.querySelector('main')!.append(field);
    });
    await page.locator('#other-field').focus();
    await page.keyboard.type('a/b');
    expect(await activeId()).toBe('other-field');
    expect(await page.locator('#other-field').inputValue()).toBe('a/b');
  });

  it('without JavaScript: Search opens the contents page, Email us sends what was typed', async () => {
    await open('/en/', { javaScriptEnabled: false });
    await page.locator('#search-input').fill('can I pay by invoice');
    const mail = page.waitForRequest((r) => r.url().startsWith('mailto:'));
    await page.locator('form[data-search-form] button', { hasText: 'Email us' }).click();
    const mailto = new URL((await mail).url());
    expect(mailto.protocol + mailto.pathname).toBe(`mailto:${SUPPORT}`);
    expect(mailto.searchParams.get('body')?.trim()).toBe('q=can I pay by invoice');
    await page.locator('#search-input').fill('password');
    await page.locator('form[data-search-form] button', { hasText: 'Search' }).click();
    await page.waitForURL('**/en/contents/?q=password');
    // The contents page lists every question (and again under "Recently updated" when it is recent).
    await expect(page.locator('main a[href="/en/q/reset-password/"]').count()).resolves.toBeGreaterThanOrEqual(1);
  });

  it('with JavaScript the mail button is not shown', async () => {
    await open('/en/');
    await expect(page.locator('form[data-search-form] button:visible').allTextContents()).resolves.toEqual(['Search']);
  });
});
