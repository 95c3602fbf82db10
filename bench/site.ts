// What a visitor of the help center downloads and waits for: bytes per page type (HTML + CSS,
// gzipped), the search script and index (gzipped), and the time from focusing the search box on
// a cold page (fresh browser context, nothing cached) to the first results, median of 20 runs in
// Chromium. The baseline is the site as it was before issue 19 (git ref below), built from the
// same FAQ in the same run; without that commit the figures the issue measured are printed instead.
// Usage: npm run bench:site [-- <git ref of the baseline>]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildSite, REPO } from '../tests/site/helpers/build-site.ts';
import { launchChromium } from '../tests/site/helpers/chromium.ts';
import { gzipSize, largestPerType, siteSizes, type PageType } from '../tests/site/helpers/site-sizes.ts';
import { serveDirectory } from '../tests/site/helpers/static-server.ts';

/** The last commit before issue 19 (search script with zod, no excerpts). */
const BASELINE_REF = process.argv[2] ?? '8799ec0';
const ISSUE_BASELINE = { scriptGzip: 46_600, fetchedGzip: 95_000, firstResultMs: 131 };
const RUNS = 20;
const QUERY = 'how do I reset my password';
const PAGE = '/en/';
const PAGE_TYPES: PageType[] = ['home', 'stage', 'question', 'contents'];

interface Figures {
  pages: Map<PageType, number>;
  scriptGzip: number;
  indexGzip: Record<string, number>;
  fetchedGzip: number;
  firstResultMs: number;
}

async function build(root: string): Promise<string> {
  const out = mkdtempSync(path.join(tmpdir(), 'postdesk-bench-site-'));
  const { code, output } = await buildSite({ POSTDESK_FAQ_DIR: path.join(REPO, 'faq') }, out, root);
  if (code !== 0) throw new Error(`site build in ${root} failed:\n${output}`);
  return out;
}

/** The baseline's sources in a temporary checkout sharing this one's node_modules, or undefined. */
function baselineCheckout(ref: string): string | undefined {
  const archive = spawnSync('git', ['archive', ref, 'site', 'src', 'package.json', 'tsconfig.json'], { cwd: REPO, maxBuffer: 1 << 30 });
  if (archive.status !== 0) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'postdesk-bench-baseline-'));
  spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** One cold visit: load the page, focus the box, enter the query; milliseconds and bytes until the first results. */
async function visit(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Promise<number>[] = [];
  page.on('response', (r) => bodies.push(r.body().then(gzipSize, () => 0)));
  await page.goto(url, { waitUntil: 'load' });
  const ms = await page.evaluate(async (query) => {
    const input = document.querySelector<HTMLInputElement>('#search-input')!;
    const panel = input.form!.querySelector<HTMLElement>('.search-results')!;
    const start = performance.now();
    const shown = new Promise<number>((resolve) => {
      new MutationObserver(() => {
        if (!panel.hidden && panel.dataset.query === query) resolve(performance.now() - start);
      }).observe(panel, { attributes: true });
    });
    input.focus();
    input.value = query;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    return shown;
  }, QUERY);
  const bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
  await context.close();
  return { ms, bytes };
}

async function measure(browser: Browser, dist: string): Promise<Figures> {
  const sizes = siteSizes(dist);
  const largest = largestPerType(sizes.pages);
  const server = await serveDirectory(dist);
  const times: number[] = [];
  let fetchedGzip = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, bytes } = await visit(browser, server.url + PAGE);
    times.push(ms);
    fetchedGzip = bytes;
  }
  await server.close();
  times.sort((a, b) => a - b);
  return {
    pages: new Map(PAGE_TYPES.map((t) => [t, largest.get(t)?.gzip ?? 0])),
    scriptGzip: sizes.scriptGzip,
    indexGzip: sizes.indexGzip,
    fetchedGzip,
    firstResultMs: times[Math.floor(times.length / 2)],
  };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const row = (label: string, base: number | undefined, now: number, unit: (n: number) => string) =>
  console.log(`${label.padEnd(50)} ${(base === undefined ? '' : unit(base)).padStart(10)} ${unit(now).padStart(10)} ${(base ? (now / base).toFixed(2) : '').padStart(6)}`);

const browser = await launchChromium();
try {
  const current = await measure(browser, await build(REPO));
  const checkout = baselineCheckout(BASELINE_REF);
  const baseline = checkout ? await measure(browser, await build(checkout)) : undefined;
  console.log(
    baseline
      ? `baseline: ${BASELINE_REF}, built from the same FAQ in this run`
      : `baseline: ${BASELINE_REF} is not in this clone; the issue's figures (script, fetched, time) are shown instead`,
  );
  console.log(`${''.padEnd(50)} ${'baseline'.padStart(10)} ${'now'.padStart(10)} ${'ratio'.padStart(6)}`);
  for (const type of PAGE_TYPES) row(`largest ${type} page, HTML + CSS gzipped`, baseline?.pages.get(type), current.pages.get(type)!, kb);
  row('search script gzipped (budget 25 KB)', baseline?.scriptGzip ?? ISSUE_BASELINE.scriptGzip, current.scriptGzip, kb);
  for (const locale of Object.keys(current.indexGzip)) row(`search index ${locale} gzipped (fetched on focus)`, baseline?.indexGzip[locale], current.indexGzip[locale], kb);
  row(`fetched on ${PAGE} until the first result, gzipped`, baseline?.fetchedGzip ?? ISSUE_BASELINE.fetchedGzip, current.fetchedGzip, kb);
  row(`focus to first result, median of ${RUNS} cold pages`, baseline?.firstResultMs ?? ISSUE_BASELINE.firstResultMs, current.firstResultMs, (ms) => `${ms.toFixed(0)} ms`);
} finally {
  await browser.close();
}
