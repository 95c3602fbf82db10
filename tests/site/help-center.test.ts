// The help center end to end: the real Astro build, served on localhost, in headless chromium.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadFaqDir } from '../../src/search/faq-loader.ts';
import { buildSite, REPO } from './helpers/build-site.ts';
import { launchChromium, skipBrowserTests } from './helpers/chromium.ts';
import { serveDirectory, type StaticServer } from './helpers/static-server.ts';

const SUPPORT = 'help@nimbus.test';
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const faq = loadFaqDir(path.join(REPO, 'faq'));
const question = (locale: string, slug: string) => faq.find((e) => e.locale === locale && e.slug === slug)!;

describe('help center build', { timeout: 60_000 }, () => {
  it('fails on a broken FAQ file, naming the file and the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'postdesk-broken-faq-'));
    cpSync(path.join(REPO, 'faq'), dir, { recursive: true });
    const broken = path.join(dir, 'en', 'track-order.md');
    writeFileSync(broken, readFileSync(broken, 'utf8').replace('stage: new', 'stage: soon'));
    const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: dir }, mkdtempSync(path.join(tmpdir(), 'postdesk-site-')));
    expect(code).not.toBe(0);
    expect(output).toContain(`${broken}: field "stage"`);
  });
});

// Generous timeouts: the machine is shared, and a loaded core makes chromium slow, not wrong.
describe.skipIf(skipBrowserTests)('help center in a browser', { timeout: 90_000 }, () => {
  let server: StaticServer;
  let browser: Browser;
  let shared: BrowserContext;
  let special: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing browser fails at once, before the build
    const started = Date.now();
    const { code, output } = await buildSite({ POSTDESK_ADDRESS: SUPPORT });
    if (code !== 0) throw new Error(`site build failed:\n${output}`);
    console.log(`site build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    server = await serveDirectory(path.join(REPO, 'site/dist'));
    shared = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh page; a context of its own only when the test needs other settings (no JS, phone). */
  const open = async (pathname: string, options?: Parameters<Browser['newContext']>[0]) => {
    await page?.close();
    await special?.close();
    special = options && (await browser.newContext(options));
    page = await (special ?? shared).newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(server.url + pathname);
    return page;
  };
  const resultLinks = () => page.locator('.search-results:not([hidden]) a.search-result-link');
  /** Types like a person and waits for the results of the whole query (not of a prefix). */
  const typeQuery = async (query: string) => {
    await page.locator('#search-input').pressSequentially(query, { delay: 30 });
    await page.locator(`.search-results:not([hidden])[data-query="${query}"]`).waitFor();
  };
  const hrefOf = async (index: number) => new URL(await resultLinks().nth(index).evaluate((a) => (a as HTMLAnchorElement).href)).pathname;

  it('home page offers the three stages and a search box', async () => {
    await open('/en/');
    for (const stage of ['prospect', 'new', 'existing']) await expect(page.locator(`main a[href="/en/${stage}/"]`).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'help-center-home.png'), fullPage: true });
  });

  it.each([
    { pageLocale: 'en', locale: 'en', query: 'how do I reset my password', slug: 'reset-password', marks: ['reset', 'password'], shot: 'search-en' },
    { pageLocale: 'zh', locale: 'zh', query: '快递到哪了', slug: 'track-order', marks: ['到哪'], shot: 'search-zh' },
    // Chinese typed on an English page is answered from the Chinese FAQ.
    { pageLocale: 'en', locale: 'zh', query: '忘记密码', slug: 'reset-password', marks: ['忘记密码'], shot: 'search-zh-on-en-page' },
  ])('on /$pageLocale/ finds $query first, highlighted; Enter opens it', async ({ pageLocale, locale, query, slug, marks, shot }) => {
    await open(`/${pageLocale}/`);
    await typeQuery(query);
    expect(await hrefOf(0)).toBe(`/${locale}/q/${slug}/`);
    expect(await resultLinks().first().locator('mark').allTextContents()).toEqual(marks);
    await page.screenshot({ path: path.join(ARTIFACTS, `help-center-${shot}.png`) });
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/${locale}/q/${slug}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe(question(locale, slug).question);
  });

  it('handles mixed Chinese and English, grouped by stage', async () => {
    await open('/zh/');
    await typeQuery('App 连不上 wifi');
    expect(await hrefOf(0)).toBe('/zh/q/wifi-setup-fails/');
    const labels = await page.locator('.search-results .search-group-label').allTextContents();
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('does not search while an input method is composing', async () => {
    await open('/zh/');
    const panelHidden = () => page.locator('.search-results').evaluate((el) => (el as HTMLElement).hidden);
    await page.locator('#search-input').evaluate((input: HTMLInputElement) => {
      input.focus();
      input.dispatchEvent(new CompositionEvent('compositionstart'));
      input.value = 'mi ma';
      input.dispatchEvent(new InputEvent('input', { isComposing: true, inputType: 'insertCompositionText' }));
    });
    await page.waitForTimeout(500);
    expect(await panelHidden()).toBe(true);
    await page.locator('#search-input').evaluate((input: HTMLInputElement) => {
      input.value = '密码';
      input.dispatchEvent(new CompositionEvent('compositionend', { data: '密码' }));
    });
    await page.locator('.search-results:not([hidden])[data-query="密码"]').waitFor();
    expect(await hrefOf(0)).toBe('/zh/q/reset-password/');
  });

  it('offers the contact fallback when nothing matches', async () => {
    await open('/en/');
    await typeQuery('xylophone lessons');
    const mail = page.locator('.search-results a[href^="mailto:"]');
    expect(await mail.getAttribute('href')).toBe(`mailto:${SUPPORT}?subject=${encodeURIComponent('xylophone lessons')}`);
  });

  it('works with the keyboard alone, with visible focus', async () => {
    await open('/en/');
    const active = () => page.evaluate(() => ({ id: document.activeElement?.id, href: (document.activeElement as HTMLAnchorElement | null)?.getAttribute('href') }));
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    for (let i = 0; i < 10 && (await active()).id !== 'search-input'; i++) await page.keyboard.press('Tab');
    expect((await active()).id).toBe('search-input');
    await page.keyboard.type('filter');
    await page.locator('.search-results:not([hidden])[data-query="filter"]').waitFor();
    const first = await hrefOf(0);
    const second = await hrefOf(1);
    await page.keyboard.press('ArrowDown');
    expect((await active()).href).toBe(first);
    await page.keyboard.press('ArrowDown');
    expect((await active()).href).toBe(second);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect((await active()).id).toBe('search-input');
    await page.keyboard.press('Escape');
    expect(await page.locator('.search-results').evaluate((el) => (el as HTMLElement).hidden)).toBe(true);
    for (let i = 0; i < 15 && (await active()).href !== '/en/new/'; i++) await page.keyboard.press('Tab');
    expect((await active()).href).toBe('/en/new/');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/en/new/');
  });

  const AXE_PAGES = ['/', '/en/', '/en/new/', '/en/new/orders/', '/en/q/reset-password/', '/en/contents/', '/zh/', '/zh/existing/', '/zh/existing/upgrades/', '/zh/q/prices/', '/zh/contents/', '/no-such-page/'];
  it.each(AXE_PAGES.flatMap((pathname) => (['light', 'dark'] as const).map((colorScheme) => ({ pathname, colorScheme }))))(
    'has no axe-core violations: $pathname ($colorScheme)',
    async ({ pathname, colorScheme }) => {
      await open(pathname, { viewport: { width: 1024, height: 800 }, colorScheme });
      await page.addScriptTag({ path: path.join(REPO, 'node_modules/axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document);
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
      });
      expect(violations).toEqual([]);
    },
  );

  it('front door: sends a Chinese browser to /zh/ once, and remembers the language chosen', async () => {
    await open('/', { locale: 'zh-CN' });
    await page.waitForURL('**/zh/');
    // Choosing English with the switch is remembered: the front door stays English.
    await page.locator('nav.lang-switch a[hreflang="en"]').click();
    await page.waitForURL('**/en/');
    await page.goto(server.url + '/');
    await expect(page.locator('h1').textContent()).resolves.toBe('How can we help?');
    expect(new URL(page.url()).pathname).toBe('/');
    const alternates = await page.locator('link[rel=alternate][hreflang]').evaluateAll((ls) => ls.map((l) => [l.getAttribute('hreflang'), new URL(l.getAttribute('href')!).pathname]));
    expect(alternates).toEqual([['en', '/en/'], ['zh-Hans', '/zh/'], ['x-default', '/']]);
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
  });

  it('front door: an English browser stays on /, which has the search box and the stages', async () => {
    await open('/', { locale: 'en-GB' });
    await page.locator('#search-input').pressSequentially('password', { delay: 30 });
    await page.locator('.search-results:not([hidden])[data-query="password"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    for (const stage of ['prospect', 'new', 'existing']) expect(await page.locator(`main a[href="/en/${stage}/"]`).count()).toBeGreaterThan(0);
  });

  it('has no axe-core violations with search results open', async () => {
    await open('/en/');
    await typeQuery('return');
    await page.addScriptTag({ path: path.join(REPO, 'node_modules/axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => (await (window as any).axe.run(document)).violations.map((v: { id: string }) => v.id));
    expect(violations).toEqual([]);
  });

  it('works without JavaScript: stages list questions, search goes to the full contents', async () => {
    await open('/en/', { javaScriptEnabled: false });
    await page.locator('#search-input').fill('password');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/en/contents/?q=password');
    // Every question, once in its stage (the recently updated ones come up twice).
    const listed = new Set(await page.locator('main a[href^="/en/q/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))));
    expect(listed.size).toBe(faq.filter((e) => e.locale === 'en').length);
    await page.locator('main a[href="/en/q/reset-password/"]').first().click();
    await page.waitForURL('**/en/q/reset-password/');
    await page.goto(`${server.url}/en/existing/`);
    const onStage = await page.locator('main a[href^="/en/q/"]').count();
    expect(onStage).toBe(faq.filter((e) => e.locale === 'en' && e.stage === 'existing').length);
  });

  it('question page: breadcrumb, answer, updated date, related, ways back, prefilled mail', async () => {
    const entry = question('en', 'reset-password');
    await open('/en/q/reset-password/');
    expect(await page.locator('nav.breadcrumb a').allTextContents()).toEqual(['Help center', 'Just started', 'Account and billing']);
    expect(await page.locator('nav.breadcrumb a').last().getAttribute('href')).toBe('/en/new/account/');
    await expect(page.locator('time').getAttribute('datetime')).resolves.toBe(entry.updated);
    const related = await page.locator('section[aria-labelledby="related-heading"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(related).toEqual(entry.related.map((slug) => `/en/q/${slug}/`));
    await expect(page.locator('a[href="/en/contents/"]', { hasText: 'Back to all questions' }).count()).resolves.toBe(1);
    await expect(page.locator('a[href="#top"]').count()).resolves.toBe(1);
    // One "Still need help?", its subject naming the question and its stage.
    await expect(page.getByText('Still need help?').count()).resolves.toBe(1);
    const mailto = new URL((await page.locator('.contact a').getAttribute('href'))!);
    expect(mailto.protocol + mailto.pathname).toBe(`mailto:${SUPPORT}`);
    expect(mailto.searchParams.get('subject')).toBe(`${entry.question} · Just started`);
    expect(mailto.searchParams.get('body')).toContain('/en/q/reset-password/');
    await page.locator('nav.lang-switch a').click();
    await page.waitForURL('**/zh/q/reset-password/');
  });

  it('lists most-asked first within each category, with FAQPage JSON-LD', async () => {
    await open('/en/new/');
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
    const stageEntries = faq.filter((e) => e.locale === 'en' && e.stage === 'new');
    expect(ld['@type']).toBe('FAQPage');
    expect(ld.mainEntity).toHaveLength(stageEntries.length);
    for (const section of await page.locator('main .category').all()) {
      const slugs = await section.locator('a[href*="/q/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.split('/')[3]));
      const popularity = slugs.map((s) => stageEntries.find((e) => e.slug === s)!.popularity);
      expect(popularity).toEqual([...popularity].sort((a, b) => b - a));
    }
  });

  it('has a sitemap with every question and a title and description on every page', async () => {
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    for (const e of faq) expect(sitemap).toContain(`/${e.locale}/q/${e.slug}/</loc>`);
    for (const pathname of ['/', '/en/new/orders/', '/zh/existing/upgrades/']) expect(sitemap).toContain(`${pathname}</loc>`);
    expect(await (await fetch(`${server.url}/robots.txt`)).text()).toContain('Sitemap: ');
    const titles = new Set<string>();
    for (const pathname of ['/en/', '/en/new/', '/en/q/reset-password/', '/en/contents/', '/zh/q/reset-password/']) {
      const html = await (await fetch(server.url + pathname)).text();
      titles.add(/<title>([^<]+)<\/title>/.exec(html)![1]);
      expect(html).toMatch(/<meta name="description" content="[^"]{20,}"/);
    }
    expect(titles.size).toBe(5);
  });

  it.each(['/en/', '/zh/q/prices/', '/en/q/air-quality-light/', '/en/contents/'])('fits a 360 px wide phone: %s', async (pathname) => {
    await open(pathname, { viewport: { width: 360, height: 740 }, isMobile: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
