// The FAQ as mail uses it: the entries and their search indexes (loaded from the FAQ directory and
// kept until a file there changes), an entry's public link on the help center, a two-line excerpt
// for the acknowledgement and the whole answer as mail text for `#faq <slug>`.
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { eastAsianWidth } from 'get-east-asian-width';
import { questionUrl } from '../../site/src/lib/urls.ts';
import { defaultFaqDir, loadFaqDir } from '../search/faq-loader.ts';
import { LOCALES, type FaqEntry, type Locale } from '../search/faq-schema.ts';
import { faqIndexes, type FaqHitMeta } from '../search/faq-search.ts';
import { words } from '../text/segmenters.ts';
import type { SearchIndex } from '../search/search-index.ts';

export interface FaqCatalog {
  entries: FaqEntry[];
  index(locale: Locale): SearchIndex<FaqHitMeta>;
  /** The entry in that language, else in any. */
  entry(slug: string, locale: Locale): FaqEntry | undefined;
}

let cached: { dir: string; stamp: string; checkedAt: number; catalog: FaqCatalog } | undefined;

/**
 * How long the FAQ files are taken as unchanged: every new ticket asks for the catalog, and looking
 * at every file each time cost about 1 ms a ticket; an editor's change shows within a second.
 */
const RECHECK_MS = 1000;

/** The FAQ (POSTDESK_FAQ_DIR, else ./faq); throws FaqValidationError when it is missing or invalid. */
export function faqCatalog(dir = defaultFaqDir()): FaqCatalog {
  const now = performance.now();
  if (cached?.dir === dir && now - cached.checkedAt < RECHECK_MS) return cached.catalog;
  const stamp = directoryStamp(dir);
  if (cached?.dir === dir && cached.stamp === stamp) {
    cached.checkedAt = now;
    return cached.catalog;
  }
  const entries = loadFaqDir(dir);
  const catalog: FaqCatalog = {
    entries,
    index: faqIndexes(entries),
    entry(slug, locale) {
      const all = entries.filter((e) => e.slug === slug);
      return all.find((e) => e.locale === locale) ?? all[0];
    },
  };
  cached = { dir, stamp, checkedAt: now, catalog };
  return catalog;
}

/** Names, sizes and times of the FAQ files: an edit, a new file or a removed one changes it. */
function directoryStamp(dir: string): string {
  return LOCALES.flatMap((locale) => {
    const localeDir = path.join(dir, locale);
    if (!existsSync(localeDir)) return [];
    return readdirSync(localeDir).map((name) => {
      const s = statSync(path.join(localeDir, name));
      return `${locale}/${name}:${s.size}:${s.mtimeMs}`;
    });
  }).join('\n');
}

/** The entry's page on the help center at helpUrl (the site's own URL scheme). */
export function faqUrl(helpUrl: string, locale: Locale, slug: string): string {
  return siteUrl(helpUrl, questionUrl(locale, slug));
}

function siteUrl(helpUrl: string, sitePath: string): string {
  return new URL(sitePath.replace(/^\//, ''), `${helpUrl.replace(/\/$/, '')}/`).href;
}

/** The answer as plain mail text: Markdown's emphasis and code marks go, links show their address. */
export function faqAnswerText(entry: FaqEntry, helpUrl: string): string {
  return mailText(entry.body, (text, url) => `${text} (${url.startsWith('/') ? siteUrl(helpUrl, url) : url})`);
}

function mailText(markdown: string, link: (text: string, url: string) => string): string {
  return markdown.replace(/!?\[([^\]]*)\]\(([^)\s]*)\)/g, (_all, text: string, url: string) => link(text, url)).replace(/\*\*|__|`/g, '');
}

const EXCERPT_COLUMNS = 72;

/**
 * Columns of FAQ prose: each character's East Asian Width (a Chinese character two). Not
 * string-width, whose emoji pattern alone costs every `ingest -` process 12 ms to build.
 */
function columns(text: string): number {
  let width = 0;
  for (const char of text) width += eastAsianWidth(char.codePointAt(0)!);
  return width;
}
const EXCERPT_LINES = 2;

/** Entries do not change while their catalog lives: each excerpt is laid out once. */
const excerpts = new WeakMap<FaqEntry, string>();

/** The beginning of the answer in two lines of at most 72 columns (a Chinese character takes two). */
export function faqExcerpt(entry: FaqEntry): string {
  let excerpt = excerpts.get(entry);
  if (excerpt === undefined) excerpts.set(entry, (excerpt = layOutExcerpt(entry)));
  return excerpt;
}

function layOutExcerpt(entry: FaqEntry): string {
  const text = mailText(entry.body, (linkText) => linkText).replace(/\s+/g, ' ').trim();
  const lines: string[] = [''];
  for (const { segment } of words(text)) {
    const line = lines[lines.length - 1];
    if (columns(line + segment) <= EXCERPT_COLUMNS) {
      lines[lines.length - 1] = line + segment;
      continue;
    }
    if (lines.length === EXCERPT_LINES) {
      const chars = Array.from(line.trimEnd());
      while (columns(`${chars.join('')} …`) > EXCERPT_COLUMNS) chars.pop();
      lines[lines.length - 1] = `${chars.join('').trimEnd()} …`;
      break;
    }
    lines.push(segment.trimStart());
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}
