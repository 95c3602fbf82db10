// The text and brand of the site being built: the shared interface text (i18n.ts) with the FAQ
// directory's site.json laid over it. Build time only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locale, Stage } from '../../../src/search/faq-schema.ts';
import { brandFileUrl } from './urls.ts';
import { CHROME, type ChromeText, type StageText } from './i18n.ts';
import { siteConfig } from './site-config.ts';

export interface UiText extends Omit<ChromeText, 'stages'> {
  stages: Record<Stage, StageText>;
  categories: Record<string, string>;
}

function uiText(locale: Locale): UiText {
  const chrome = CHROME[locale];
  const own = siteConfig().text[locale];
  const stages = Object.fromEntries(
    Object.entries(chrome.stages).map(([stage, t]) => {
      const o = own?.stages[stage as Stage];
      return [stage, { name: o?.name ?? t.name, prompt: o?.prompt ?? t.prompt, description: o?.blurb }];
    }),
  ) as Record<Stage, StageText>;
  return {
    ...chrome,
    siteName: own?.name ?? chrome.siteName,
    siteDescription: own?.description ?? chrome.siteDescription,
    searchPlaceholder: own?.searchPlaceholder ?? chrome.searchPlaceholder,
    stages,
    categories: own?.categories ?? {},
  };
}

export const UI = { en: uiText('en'), zh: uiText('zh') } satisfies Record<Locale, UiText>;

/** Display name of a category slug; one site.json does not name shows its slug in words. */
export function categoryName(locale: Locale, category: string): string {
  return UI[locale].categories[category] ?? category.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export interface BrandFile {
  /** File name under /brand/. */
  name: string;
  body: Uint8Array | string;
}

const config = siteConfig();
const extOf = (file: string) => path.extname(file).toLowerCase();
/** Without a favicon in site.json: the site name's first letter, white on the brand colour. */
const generatedFavicon = () =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${config.brandColor}"/>` +
  `<text x="16" y="23" font-family="system-ui,sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">${escapeXml([...UI[config.defaultLocale].siteName][0])}</text></svg>`;
const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The logo and favicon, copied from the FAQ directory into /brand/. */
export const BRAND_FILES: BrandFile[] = [
  ...(config.logo ? [{ name: `logo${extOf(config.logo)}`, body: readFileSync(config.logo) }] : []),
  config.favicon ? { name: `favicon${extOf(config.favicon)}`, body: readFileSync(config.favicon) } : { name: 'favicon.svg', body: generatedFavicon() },
];

export const BRAND = {
  color: config.brandColor,
  logoUrl: config.logo && brandFileUrl(BRAND_FILES[0].name),
  faviconUrl: brandFileUrl(BRAND_FILES.at(-1)!.name),
  /** Link previews need a bitmap; an SVG logo gives none. */
  previewImageUrl: config.logo && /\.(png|jpe?g|webp)$/.test(BRAND_FILES[0].name) ? brandFileUrl(BRAND_FILES[0].name) : undefined,
  defaultLocale: config.defaultLocale,
};

/** The footer links in one language. */
export const footerLinks = (locale: Locale) => config.footerLinks.map((l) => ({ href: l.href, label: l.label[locale] ?? l.href }));
