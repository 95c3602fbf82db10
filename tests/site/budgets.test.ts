// Size budgets of the built help center (the figures `npm run bench:site` prints), read from the
// real build output: a page or the search script that grows past its budget fails here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from './helpers/build-site.ts';
import { siteSizes, type SiteSizes } from './helpers/site-sizes.ts';

const PAGE_BUDGET = 30_000;
const SCRIPT_BUDGET = 25_000;

describe('help center size budgets (gzipped)', () => {
  let sizes: SiteSizes;

  beforeAll(async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'postdesk-site-budgets-'));
    const { code, output } = await buildSite({}, outDir);
    if (code !== 0) throw new Error(`site build failed:\n${output}`);
    sizes = siteSizes(outDir);
  }, 240_000);

  it(`every page's HTML + CSS is at most ${PAGE_BUDGET} bytes`, () => {
    expect(sizes.pages.length).toBeGreaterThan(10);
    for (const type of ['home', 'stage', 'question', 'contents']) expect(sizes.pages.some((p) => p.type === type)).toBe(true);
    const over = sizes.pages.filter((p) => p.gzip > PAGE_BUDGET).map((p) => `${p.page}: ${p.gzip} B`);
    expect(over).toEqual([]);
  });

  it(`the search script is at most ${SCRIPT_BUDGET} bytes and carries no validation code`, () => {
    console.log(`search script ${sizes.scriptGzip} B gzipped; index ${JSON.stringify(sizes.indexGzip)}`);
    expect(sizes.scriptGzip).toBeGreaterThan(1000);
    expect(sizes.scriptGzip).toBeLessThanOrEqual(SCRIPT_BUDGET);
    expect(sizes.scriptText).not.toMatch(/zod/i);
  });
});
