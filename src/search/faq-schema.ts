// The FAQ file format (faq/<locale>/<slug>.md): one schema, used by the site build and the CLI.
import { z } from 'zod';
import { STAGES, type Locale } from './faq-enums.ts';

export { LOCALES, STAGES, type Locale, type Stage } from './faq-enums.ts';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like "reset-password"');

/** YAML may hand over a date as a Date or as text; we keep ISO YYYY-MM-DD text. */
const isoDate = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-01'),
);

export const faqFrontMatterSchema = z.strictObject({
  question: z.string().trim().min(1, 'must not be empty'),
  stage: z.enum(STAGES),
  category: slug,
  order: z.number().int().optional(),
  popularity: z.number().min(0).default(0),
  tags: z.array(z.string().min(1)).default([]),
  related: z.array(slug).default([]),
  updated: isoDate.optional(),
  /** Not published yet (a question `postdesk faq gaps --draft` proposed, for an editor to finish): the site and the search skip it. */
  draft: z.boolean().default(false),
});

export type FaqFrontMatter = z.infer<typeof faqFrontMatterSchema>;

export interface FaqEntry extends FaqFrontMatter {
  locale: Locale;
  slug: string;
  /** The answer, Markdown. */
  body: string;
  /** Path of the source file, for error messages. */
  file: string;
}
