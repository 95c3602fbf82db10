// Reads faq/<locale>/<slug>.md files and validates them; every problem names the file and the field.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { faqFrontMatterSchema, LOCALES, type FaqEntry } from './faq-schema.ts';

export class FaqValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid FAQ content (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const SLUG_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/** The FAQ directory: POSTDESK_FAQ_DIR, else ./faq. */
export function defaultFaqDir(): string {
  return path.resolve(process.env.POSTDESK_FAQ_DIR || 'faq');
}

/** The entries of a FAQ directory, without drafts unless asked for: what is published is what the site, the search and mail use. */
export function loadFaqDir(dir: string, options: { drafts?: boolean } = {}): FaqEntry[] {
  if (!existsSync(dir)) throw new FaqValidationError([`${dir}: FAQ directory not found`]);
  const entries: FaqEntry[] = [];
  const problems: string[] = [];
  // Every file counts as an existing question for "related", even one with errors of its own, so
  // one bad file gives one complaint and not one more per question that links to it.
  const existing = new Set<string>();
  // Drafts are checked like the rest, so that publishing one is only removing `draft: true`.
  for (const locale of LOCALES) {
    const localeDir = path.join(dir, locale);
    if (!existsSync(localeDir)) continue;
    for (const name of readdirSync(localeDir).filter((n) => n.endsWith('.md')).sort()) {
      const file = path.join(localeDir, name);
      existing.add(`${locale}/${name.slice(0, -'.md'.length)}`);
      const result = parseFaqFile(file, locale, readFileSync(file, 'utf8'));
      if (Array.isArray(result)) problems.push(...result);
      else entries.push(result);
    }
  }
  problems.push(...checkRelatedLinks(entries, existing));
  if (problems.length) throw new FaqValidationError(problems);
  return options.drafts ? entries : entries.filter((e) => !e.draft);
}

/** One file: its entry, or the list of problems found in it. */
export function parseFaqFile(file: string, locale: FaqEntry['locale'], text: string): FaqEntry | string[] {
  const slug = SLUG_FILE.exec(path.basename(file))?.[1];
  if (!slug) return [`${file}: file name must be a lowercase slug ending in .md`];
  const parts = FRONT_MATTER.exec(text);
  if (!parts) return [`${file}: missing front matter (a block between --- lines at the top)`];
  let raw: unknown;
  try {
    raw = parseYaml(parts[1]);
  } catch (err) {
    return [`${file}: front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`];
  }
  const parsed = faqFrontMatterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => {
      const field = issue.path.length ? issue.path.join('.') : (issue as { keys?: string[] }).keys?.join(', ') ?? '(front matter)';
      const message = /received undefined/.test(issue.message) ? 'is required but missing' : issue.message;
      return `${file}: field "${field}": ${message}`;
    });
  }
  const body = parts[2].trim();
  // A draft may wait for its answer; a note to the editor in an HTML comment is no answer.
  if (!parsed.data.draft && !body.replace(HTML_COMMENT, '').trim()) return [`${file}: the answer (the text after the front matter) is empty`];
  return { ...parsed.data, locale, slug, body, file };
}

function checkRelatedLinks(entries: FaqEntry[], existing: Set<string>): string[] {
  const drafts = new Set(entries.filter((e) => e.draft).map((e) => `${e.locale}/${e.slug}`));
  return entries.flatMap((e) =>
    e.related.flatMap((r) => {
      const key = `${e.locale}/${r}`;
      if (!existing.has(key)) return [`${e.file}: field "related": no ${e.locale} question with slug "${r}"`];
      // A published page would link to a page the site does not build.
      if (!e.draft && drafts.has(key)) return [`${e.file}: field "related": "${r}" is a draft`];
      return [];
    }),
  );
}
