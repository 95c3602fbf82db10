// Bytes a visitor downloads from a built help center, gzipped as a web server would send them:
// every page's HTML with its stylesheets, the scripts, and each language's search index.
// Shared by the size budgets (tests/site/budgets.test.ts) and `npm run bench:site`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export type PageType = 'home' | 'stage' | 'question' | 'contents' | 'other';

export interface PageSize {
  /** Site path, e.g. /en/q/reset-password/ */
  page: string;
  type: PageType;
  /** HTML plus its linked stylesheets, each gzipped. */
  gzip: number;
}

export interface SiteSizes {
  pages: PageSize[];
  /** All JavaScript files of the site, gzipped (the search script and any chunk it imports). */
  scriptGzip: number;
  /** The text of the scripts, to check what they contain. */
  scriptText: string;
  /** Search index per language, gzipped. */
  indexGzip: Record<string, number>;
}

export const gzipSize = (data: string | Buffer) => gzipSync(data).length;

const STAGES = new Set(['prospect', 'new', 'existing']);

function pageType(page: string): PageType {
  const parts = page.split('/').filter(Boolean);
  if (parts.length === 1) return 'home';
  if (parts[1] === 'contents' && parts.length === 2) return 'contents';
  if (parts[1] === 'q' && parts.length === 3) return 'question';
  if (STAGES.has(parts[1]) && parts.length === 2) return 'stage';
  return 'other';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

export function siteSizes(dist: string): SiteSizes {
  const files = filesUnder(dist);
  const pages = files
    .filter((f) => f.endsWith('.html'))
    .map((file) => {
      const html = readFileSync(file, 'utf8');
      const page = '/' + path.relative(dist, file).replace(/index\.html$/, '').replace(/\\/g, '/');
      const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="(\/[^"]+)"/g)].map((m) => gzipSize(readFileSync(path.join(dist, m[1]))));
      return { page, type: pageType(page), gzip: gzipSize(html) + css.reduce((a, b) => a + b, 0) };
    });
  const scripts = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(f, 'utf8'));
  const indexGzip = Object.fromEntries(
    files.filter((f) => f.endsWith('search-index.json')).map((f) => [path.basename(path.dirname(f)), gzipSize(readFileSync(f))]),
  );
  return { pages, scriptGzip: scripts.reduce((sum, s) => sum + gzipSize(s), 0), scriptText: scripts.join('\n'), indexGzip };
}

/** The largest page of each type. */
export function largestPerType(pages: PageSize[]): Map<PageType, PageSize> {
  const largest = new Map<PageType, PageSize>();
  for (const p of pages) if (p.gzip > (largest.get(p.type)?.gzip ?? -1)) largest.set(p.type, p);
  return largest;
}
