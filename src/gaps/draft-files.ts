// `faq gaps --draft DIR`: each group as a FAQ file DIR/<language>/<slug>.md with `draft: true`,
// in the format of the FAQ directory, so an editor can finish it where it will be published (DIR
// may be the FAQ directory itself: the site and the search skip drafts). A file that exists is
// left alone: it may hold an editor's work. The question is a customer's words: owner-only, as
// all customer data on disk.
import fs from 'node:fs';
import path from 'node:path';
import { dump } from 'js-yaml';
import { ENGLISH_STOPWORDS } from '../search/stopwords.ts';
import type { GapCluster } from './gap-clusters.ts';

export interface WrittenDraft {
  file: string;
  /** False when a file of that name was there already and was kept. */
  written: boolean;
}

const SLUG_WORDS = 6;

/** Checks before any work that drafts can be written there (creating DIR if needed). */
export function assertDraftDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`not a directory: ${dir}`), { code: 'ENOTDIR' });
  fs.accessSync(dir, fs.constants.W_OK);
}

export function writeDrafts(dir: string, clusters: readonly GapCluster[], today: string): WrittenDraft[] {
  const taken = new Set<string>();
  return clusters.map((cluster) => {
    const localeDir = path.join(dir, cluster.language);
    fs.mkdirSync(localeDir, { recursive: true, mode: 0o700 });
    const slug = uniqueSlug(draftSlug(cluster), taken);
    const file = path.join(localeDir, `${slug}.md`);
    try {
      fs.writeFileSync(file, draftText(cluster, today), { flag: 'wx', mode: 0o600 });
      return { file, written: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { file, written: false };
      throw err;
    }
  });
}

export function draftText(cluster: GapCluster, today: string): string {
  const frontMatter = dump(
    { question: cluster.question, stage: cluster.stage, category: cluster.category, tags: cluster.tags, updated: today, draft: true },
    { flowLevel: 1, lineWidth: -1 },
  );
  const tickets = cluster.tickets.map((n) => `#${n}`).join(', ');
  return `---\n${frontMatter}---\n\n<!-- Proposed by \`postdesk faq gaps\` on ${today} from ${cluster.tickets.length} tickets without a good answer: ${tickets}.\nCheck the question, stage and category, write the answer here, then remove \`draft: true\` to publish. -->\n`;
}

/** English: the question's first content words; otherwise (Chinese) gap-<first ticket number>. */
function draftSlug(cluster: GapCluster): string {
  const words = (cluster.question.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !ENGLISH_STOPWORDS.has(w));
  return cluster.language === 'en' && words.length ? words.slice(0, SLUG_WORDS).join('-') : `gap-${cluster.tickets[0]}`;
}

function uniqueSlug(slug: string, taken: Set<string>): string {
  let unique = slug;
  for (let n = 2; taken.has(unique); n++) unique = `${slug}-${n}`;
  taken.add(unique);
  return unique;
}
