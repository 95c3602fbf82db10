// Outgoing mail templates: one Liquid file per message and language (`templates/<lang>/<name>.liquid`),
// with `--- subject ---`, `--- text ---` and `--- html ---` sections. A file of the same path in the
// admin's override directory (config outbound.templatesDir) wins. The HTML part escapes every output.
import fs from 'node:fs';
import path from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import type { App } from '../app.ts';
import { packageRoot } from '../package-root.ts';

export const TEMPLATE_NAMES = [
  'acknowledgement',
  'agent-new-ticket',
  'agent-update',
  'agent-reply',
  'sla-warning',
  'sla-breach',
  'resolved',
  'delivery-failure',
  'command-error',
  'agent-digest',
  'follow-up',
  'follow-up-reminder',
  // Not a mail of its own: the "How did we do?" block of the mail that resolves a ticket.
  'satisfaction-survey',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export const builtInTemplatesDir = path.join(packageRoot, 'templates');

const SECTIONS = ['subject', 'text', 'html'] as const;
type Section = (typeof SECTIONS)[number];

// Made on first use: most mails an MTA pipes in (replies, duplicates) render no template.
let engines: { text: Liquid; html: Liquid } | undefined;
function engine(section: Section): Liquid {
  engines ??= { text: new Liquid({ strictFilters: true }), html: new Liquid({ strictFilters: true, outputEscape: 'escape' }) };
  return section === 'html' ? engines.html : engines.text;
}

interface ParsedTemplateFile {
  file: string;
  parts: Record<Section, Template[]>;
}

// Found and parsed once per file; templates change with a deploy or an admin edit followed by a restart.
const cache = new Map<string, ParsedTemplateFile>();
const foundFiles = new Map<string, string>();

export function templateFile(app: App, name: TemplateName, language: Language): string {
  const override = app.config.outbound.templatesDir;
  const key = `${override ?? ''}\0${language}\0${name}`;
  let file = foundFiles.get(key);
  if (!file) {
    file = findTemplateFile(override, name, language);
    foundFiles.set(key, file);
  }
  return file;
}

function findTemplateFile(override: string | undefined, name: TemplateName, language: Language): string {
  const dirs = override ? [path.resolve(override), builtInTemplatesDir] : [builtInTemplatesDir];
  const found = dirs.map((dir) => path.join(dir, language, `${name}.liquid`)).find((file) => fs.existsSync(file));
  if (found) return found;
  if (language !== 'en') return findTemplateFile(override, name, 'en');
  throw new Error(`no template en/${name}.liquid in ${dirs.join(' or ')}`);
}

function parseTemplateFile(file: string): ParsedTemplateFile {
  const cached = cache.get(file);
  if (cached) return cached;
  const source = fs.readFileSync(file, 'utf8');
  const chunks: Partial<Record<Section, string>> = {};
  let current: Section | undefined;
  for (const line of source.split('\n')) {
    const marker = /^--- (subject|text|html) ---\s*$/.exec(line);
    if (marker) {
      current = marker[1] as Section;
      chunks[current] = '';
    } else if (current) {
      chunks[current] += `${line}\n`;
    }
  }
  const missing = SECTIONS.filter((s) => chunks[s] === undefined);
  if (missing.length) throw new Error(`template ${file}: missing section(s) ${missing.join(', ')}`);
  const parsed: ParsedTemplateFile = {
    file,
    parts: {
      subject: engine('subject').parse(chunks.subject!, file),
      text: engine('text').parse(chunks.text!, file),
      html: engine('html').parse(chunks.html!, file),
    },
  };
  cache.set(file, parsed);
  return parsed;
}

export function renderTemplate(app: App, name: TemplateName, language: Language, data: Record<string, unknown>): RenderedMail {
  const { parts } = parseTemplateFile(templateFile(app, name, language));
  return {
    subject: String(engine('subject').renderSync(parts.subject, data)).replace(/\s+/g, ' ').trim(),
    text: `${String(engine('text').renderSync(parts.text, data)).trim()}\n`,
    html: String(engine('html').renderSync(parts.html, data)).trim(),
  };
}

/** Renders a Liquid snippet from the configuration (a signature) as plain text. */
export function renderSnippet(source: string, data: Record<string, unknown>): string {
  return String(engine('text').parseAndRenderSync(source, data)).trim();
}
