// The help center's brand and wording, read from `site.json` in the FAQ directory, so that a
// company's FAQ directory carries its own brand and nothing product-specific lives in the code.
// Build time only: pages import it in their front matter, never a browser script (zod stays out
// of the bundle). Every problem is one line naming the file and the field.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultFaqDir } from '../../../src/search/faq-loader.ts';
import { LOCALES, STAGES, type Locale } from '../../../src/search/faq-schema.ts';
import { contrastRatio, parseHexColour } from './contrast.ts';

export const SITE_CONFIG_FILE = 'site.json';
/** WCAG AA for normal text. */
const MIN_CONTRAST = 4.5;
const WHITE: [number, number, number] = [255, 255, 255];
const IMAGE_TYPES = ['.svg', '.png', '.ico', '.webp', '.jpg', '.jpeg'];

const text = z.string().trim().min(1, 'must not be empty');
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like "orders"');
/** A file beside the FAQ files, named relative to the FAQ directory. */
const imageFile = z.string().refine((f) => IMAGE_TYPES.includes(path.extname(f).toLowerCase()), `must be an image file (${IMAGE_TYPES.join(', ')})`);

const stageText = z.strictObject({
  name: text.optional(),
  /** How visitors in this stage describe themselves on the home page ("I have just started"). */
  prompt: text.optional(),
  blurb: text.optional(),
});

const localeText = z.strictObject({
  name: text,
  description: text,
  stages: z.partialRecord(z.enum(STAGES), stageText).default({}),
  categories: z.record(slug, text).default({}),
  /** Example queries in the empty search box, e.g. "e.g. reset password, filter". */
  searchPlaceholder: text.optional(),
});

const footerLink = z.strictObject({
  href: z.string().regex(/^(https?:\/\/|mailto:|\/)/, 'must start with https://, http://, mailto: or /'),
  label: z.partialRecord(z.enum(LOCALES), text),
});

export const siteConfigSchema = z
  .strictObject({
    locales: z.array(z.enum(LOCALES)).min(1, 'must name at least one language').default([...LOCALES]),
    defaultLocale: z.enum(LOCALES).optional(),
    supportAddress: z.email('must be an email address').optional(),
    logo: imageFile.optional(),
    favicon: imageFile.optional(),
    brandColor: z
      .string()
      .refine((c) => parseHexColour(c), 'must be a colour like "#0b4fb3"')
      .refine((c) => !parseHexColour(c) || contrastRatio(WHITE, parseHexColour(c)!) >= MIN_CONTRAST, {
        error: (issue) => `white text on ${issue.input} has a contrast of ${contrastRatio(WHITE, parseHexColour(issue.input as string)!).toFixed(2)}:1, below the ${MIN_CONTRAST}:1 of WCAG AA; choose a darker colour`,
      })
      .default('#0b4fb3'),
    footerLinks: z.array(footerLink).default([]),
    text: z.partialRecord(z.enum(LOCALES), localeText).default({}),
  })
  .superRefine((config, ctx) => {
    const defaultLocale = config.defaultLocale ?? config.locales[0];
    if (!config.locales.includes(defaultLocale)) ctx.addIssue({ code: 'custom', path: ['defaultLocale'], message: `must be one of "locales" (${config.locales.join(', ')})` });
    config.footerLinks.forEach((link, i) => {
      for (const locale of config.locales) {
        if (!link.label[locale]) ctx.addIssue({ code: 'custom', path: ['footerLinks', i, 'label', locale], message: 'is required for every language in "locales"' });
      }
    });
  });

export interface SiteConfig extends Omit<z.infer<typeof siteConfigSchema>, 'defaultLocale' | 'logo' | 'favicon'> {
  defaultLocale: Locale;
  /** Absolute paths of the brand files. */
  logo?: string;
  favicon?: string;
}

export class SiteConfigError extends Error {}

/** `<faqDir>/site.json`, validated; a FAQ directory without one gets a plain, unbranded site. */
export function loadSiteConfig(faqDir: string): SiteConfig {
  const file = path.join(faqDir, SITE_CONFIG_FILE);
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new SiteConfigError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
  }
  const parsed = siteConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.length ? issue.path.join('.') : (issue as { keys?: string[] }).keys?.join(', ') ?? '(top level)';
      return `field "${field}": ${issue.message}`;
    });
    throw new SiteConfigError(`${file}: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  const brandFile = (field: 'logo' | 'favicon') => {
    const name = config[field];
    if (!name) return undefined;
    const full = path.resolve(faqDir, name);
    if (!existsSync(full)) throw new SiteConfigError(`${file}: field "${field}": ${full} not found`);
    return full;
  };
  return { ...config, defaultLocale: config.defaultLocale ?? config.locales[0], logo: brandFile('logo'), favicon: brandFile('favicon') };
}

let cached: SiteConfig | undefined;
/** The configuration of the FAQ directory being built (POSTDESK_FAQ_DIR, else ./faq). */
export const siteConfig = (): SiteConfig => (cached ??= loadSiteConfig(defaultFaqDir()));
