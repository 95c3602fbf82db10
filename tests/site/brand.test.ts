// A second company's help center, built by the real site build from a FAQ directory and site.json
// written here: its name, logo, colour, stage blurbs and categories on every page type, nothing of
// the sample product, empty stages and languages left out, accessible in light and dark.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildSite, REPO } from './helpers/build-site.ts';
import { launchChromium, skipBrowserTests } from './helpers/chromium.ts';
import { serveDirectory, type StaticServer } from './helpers/static-server.ts';

const BRAND = { name: 'Brewster Help', colour: '#7a2e0e', rgb: 'rgb(122, 46, 14)' };
// A 1×1 PNG: a bitmap logo, so that link previews get an image.
const LOGO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const SITE_JSON = {
  locales: ['en', 'zh'],
  defaultLocale: 'en',
  supportAddress: 'care@brewster.test',
  logo: 'brand/logo.png',
  brandColor: BRAND.colour,
  footerLinks: [{ href: 'https://brewster.test/privacy', label: { en: 'Privacy at Brewster', zh: '隐私' } }],
  text: {
    en: {
      name: BRAND.name,
      description: 'Answers about Brewster espresso machines and beans.',
      stages: {
        prospect: { name: 'Choosing a machine', blurb: 'Which Brewster fits your kitchen, and which beans to start with.' },
        new: { blurb: 'Your first espresso, descaling and daily care.' },
      },
      categories: { machines: 'Espresso machines', beans: 'Coffee beans', care: 'Cleaning and care' },
    },
  },
};

const ENTRIES = [
  { slug: 'which-machine', stage: 'prospect', category: 'machines', question: 'Which Brewster machine should I buy?', answer: 'The **Brewster One** suits one or two cups a day.', updated: '2026-10-01' },
  { slug: 'bean-subscription', stage: 'prospect', category: 'beans', question: 'Do you sell coffee beans?', answer: 'Yes, fresh beans every month by subscription.', updated: '2026-10-20' },
  { slug: 'first-espresso', stage: 'new', category: 'machines', question: 'How do I pull my first espresso?', answer: 'Heat the machine for ten minutes, then grind 18 g of beans.', updated: '2026-09-15' },
  { slug: 'descale', stage: 'new', category: 'care', question: 'How do I descale the machine?', answer: 'Run the descaling program once a month with the tablet supplied.', updated: '2026-11-02' },
];

function writeBrandFaq(siteJson: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'postdesk-brand-faq-'));
  mkdirSync(path.join(dir, 'en'));
  mkdirSync(path.join(dir, 'zh'));
  mkdirSync(path.join(dir, 'brand'));
  for (const e of ENTRIES) {
    writeFileSync(path.join(dir, 'en', `${e.slug}.md`), `---\nquestion: ${e.question}\nstage: ${e.stage}\ncategory: ${e.category}\nupdated: ${e.updated}\n---\n\n${e.answer}\n`);
  }
  // Chinese offered in site.json, but its only question is a draft: no Chinese site.
  writeFileSync(path.join(dir, 'zh', 'descale.md'), '---\nquestion: 如何除垢？\nstage: new\ncategory: care\ndraft: true\n---\n\n每月一次。\n');
  writeFileSync(path.join(dir, 'brand', 'logo.png'), LOGO_PNG);
  writeFileSync(path.join(dir, 'site.json'), JSON.stringify(siteJson, null, 2));
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** One of each page type of the Brewster site. */
const PAGES = ['/', '/en/', '/en/prospect/', '/en/prospect/machines/', '/en/new/care/', '/en/q/descale/', '/en/contents/', '/no-such-page/'];

describe('a help center with its own brand', { timeout: 240_000 }, () => {
  it('fails the build with one clear line when white text on the brand colour is below WCAG AA', async () => {
    const dir = writeBrandFaq({ ...SITE_JSON, brandColor: '#f5b700' });
    const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: dir }, mkdtempSync(path.join(tmpdir(), 'postdesk-site-')));
    expect(code).not.toBe(0);
    expect(output).toContain(`${path.join(dir, 'site.json')}: field "brandColor": white text on #f5b700 has a contrast of 1.80:1, below the 4.5:1 of WCAG AA; choose a darker colour`);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.each([
    { change: { logo: 'brand/missing.svg' }, message: 'field "logo":' },
    { change: { defaultLocale: 'zh' }, message: 'field "defaultLocale": there are no published zh questions' },
    { change: { footerLinks: [{ href: 'https://brewster.test/', label: { en: 'Company' } }] }, message: 'field "footerLinks.0.label.zh": is required for every language in "locales"' },
  ])('fails the build on a bad site.json: $message', async ({ change, message }) => {
    const dir = writeBrandFaq({ ...SITE_JSON, ...change });
    const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: dir }, mkdtempSync(path.join(tmpdir(), 'postdesk-site-')));
    expect(code).not.toBe(0);
    expect(output).toContain(message);
  });
});

describe.skipIf(skipBrowserTests)('a help center with its own brand, in a browser', { timeout: 90_000 }, () => {
  let out: string;
  let buildOutput: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    out = mkdtempSync(path.join(tmpdir(), 'postdesk-brand-site-'));
    const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: writeBrandFaq(SITE_JSON) }, out);
    if (code !== 0) throw new Error(`site build failed:\n${output}`);
    buildOutput = output;
    server = await serveDirectory(out);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (pathname: string, options: Parameters<Browser['newContext']>[0] = {}) => {
    await page?.context().close();
    page = await (await browser.newContext({ viewport: { width: 1024, height: 800 }, ...options })).newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(server.url + pathname);
    return page;
  };

  it('builds without warnings', () => {
    expect(buildOutput).not.toMatch(/\[WARN\]|\(!\)|warning/i);
  });

  it.each(PAGES)('shows the brand on %s: name, logo, colour, favicon, link preview tags', async (pathname) => {
    const p = await open(pathname);
    await expect(p.locator('header .brand').textContent()).resolves.toBe(BRAND.name);
    expect(await p.locator('header .brand img').getAttribute('src')).toBe('/brand/logo.png');
    expect(await p.locator('header .brand img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    expect(await p.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(BRAND.rgb);
    expect(await p.locator('.button, button[type=submit]').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(BRAND.rgb);
    expect(await p.title()).toContain(BRAND.name);
    const favicon = await p.locator('link[rel=icon]').getAttribute('href');
    expect((await fetch(server.url + favicon!)).status).toBe(200);
    expect(await p.locator('meta[property="og:site_name"]').getAttribute('content')).toBe(BRAND.name);
    expect(await p.locator('meta[property="og:image"]').getAttribute('content')).toMatch(/\/brand\/logo\.png$/);
    expect(await p.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary');
    expect(await p.locator('meta[property="og:title"]').getAttribute('content')).toBeTruthy();
    await expect(p.locator('footer a[href="https://brewster.test/privacy"]').textContent()).resolves.toBe('Privacy at Brewster');
    // One "Still need help?", to the brand's address.
    await expect(p.getByText('Still need help?').count()).resolves.toBe(1);
    expect(await p.locator('.contact a').getAttribute('href')).toMatch(/^mailto:care@brewster\.test\?subject=/);
  });

  it('shows its stage names, blurbs and category names', async () => {
    const p = await open('/');
    const home = await p.locator('main').textContent();
    expect(home).toContain('Which Brewster fits your kitchen, and which beans to start with.');
    expect(home).toContain('Your first espresso, descaling and daily care.');
    await open('/en/prospect/');
    await expect(page!.locator('h1').textContent()).resolves.toBe('Choosing a machine');
    // In site.json's order of categories.
    expect(await page!.locator('main .category h2').allTextContents()).toEqual(['Espresso machines', 'Coffee beans']);
    await page!.locator('main .category h2 a', { hasText: 'Espresso machines' }).click();
    await page!.waitForURL('**/en/prospect/machines/');
    await expect(page!.locator('h1').textContent()).resolves.toBe('Espresso machines');
    expect(await page!.locator('nav.breadcrumb a').allTextContents()).toEqual(['Help center', 'Choosing a machine']);
    await open('/en/q/descale/');
    expect(await page!.locator('nav.breadcrumb a').allTextContents()).toEqual(['Help center', 'Just started', 'Cleaning and care']);
    expect(await page!.locator('nav.breadcrumb a').last().getAttribute('href')).toBe('/en/new/care/');
    const subject = new URL((await page!.locator('.contact a').getAttribute('href'))!).searchParams.get('subject');
    expect(subject).toBe('How do I descale the machine? · Just started');
  });

  it('lists the recently updated questions on the contents page, newest first', async () => {
    const p = await open('/en/contents/');
    const recent = await p.locator('section.recent a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(recent).toEqual(['/en/q/descale/', '/en/q/bean-subscription/', '/en/q/which-machine/', '/en/q/first-espresso/']);
  });

  it('leaves no trace of the sample product', () => {
    for (const file of filesUnder(out).filter((f) => /\.(html|json|xml|txt|svg|js|css)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/nimbus|purifier|净化器/i);
    }
  });

  it('builds and links no empty stage and no language without questions', () => {
    expect(existsSync(path.join(out, 'en/existing'))).toBe(false);
    expect(existsSync(path.join(out, 'zh'))).toBe(false);
    for (const file of filesUnder(out).filter((f) => /\.(html|xml)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/href="\/zh\/|hreflang="zh|\/en\/existing\/|\/zh\//);
      expect(text, file).not.toContain('中文');
    }
    const sitemap = readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('/en/prospect/machines/</loc>');
    expect(sitemap).toContain('/en/new/care/</loc>');
  });

  it('has a front door with search that works without JavaScript', async () => {
    const p = await open('/', { javaScriptEnabled: false });
    await expect(p.locator('h1').textContent()).resolves.toBe('How can we help?');
    expect(await p.locator('main a[href="/en/q/which-machine/"]').count()).toBe(1);
    expect(await p.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await p.locator('#search-input').fill('descale');
    await p.keyboard.press('Enter');
    await p.waitForURL('**/en/contents/?q=descale');
    expect(await p.locator('main a[href="/en/q/descale/"]').count()).toBeGreaterThan(0);
  });

  it('searches from the front door', async () => {
    const p = await open('/');
    await p.locator('#search-input').pressSequentially('descale', { delay: 30 });
    await p.locator('.search-results:not([hidden])[data-query="descale"]').waitFor();
    expect(await p.locator('.search-results a.search-result-link').first().getAttribute('href')).toBe('/en/q/descale/');
  });

  it('searches a Chinese query in the English index when no Chinese site is built', async () => {
    const p = await open('/');
    const asked: string[] = [];
    p.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await p.locator('#search-input').pressSequentially('除垢 descale', { delay: 30 });
    await p.locator('.search-results:not([hidden])[data-query="除垢 descale"]').waitFor();
    expect(asked.filter((u) => u.startsWith('/zh/'))).toEqual([]);
    expect(await p.locator('.search-results a.search-result-link').first().getAttribute('href')).toBe('/en/q/descale/');
  });

  it('answers an unknown address with its 404 page and a search box', async () => {
    const response = await fetch(`${server.url}/en/q/no-such-question/`);
    expect(response.status).toBe(404);
    const p = await open('/en/q/no-such-question/');
    await expect(p.locator('h1').textContent()).resolves.toBe('Page not found');
    expect(await p.locator('#search-input').count()).toBe(1);
  });

  it('remembers the dark theme chosen with the switch', async () => {
    const p = await open('/en/');
    const background = () => p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await p.locator('[data-theme-switch]').click();
    expect(await p.locator('[data-theme-switch]').getAttribute('aria-pressed')).toBe('true');
    expect(await background()).toBe('rgb(20, 23, 27)');
    await p.goto(`${server.url}/en/contents/`);
    expect(await background()).toBe('rgb(20, 23, 27)');
    expect(await p.locator('[data-theme-switch]').getAttribute('aria-pressed')).toBe('true');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it.each(PAGES)(`has no axe-core violations in the ${colorScheme} scheme: %s`, async (pathname) => {
      const p = await open(pathname, { colorScheme });
      expect(await p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(colorScheme === 'dark' ? 'rgb(20, 23, 27)' : 'rgb(255, 255, 255)');
      await p.addScriptTag({ path: path.join(REPO, 'node_modules/axe-core/axe.min.js') });
      const violations = await p.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run(document);
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
      });
      expect(violations).toEqual([]);
    });
  }
});
