// `faq stats --write`: sets `popularity: N` in a FAQ file's front matter and changes nothing else.
// The files are the editors': their comments, key order, quoting and line ends stay as written. js-yaml
// (the YAML library in the deps) would dump the whole block anew, so this is a one-line edit, checked
// by reading the result back with the loader: every other field must come out as before.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseFaqFile } from '../search/faq-loader.ts';
import type { FaqEntry } from '../search/faq-schema.ts';

const FRONT_MATTER_END = /\r?\n---(?:\r?\n|$)/;
const POPULARITY_LINE = /^popularity:[ \t]*([^\r\n#]*?)([ \t]+#[^\r\n]*)?$/m;

/** The file's text with its popularity set; throws when the edit would change anything else. */
export function withPopularity(entry: FaqEntry, text: string, popularity: number): string {
  const end = FRONT_MATTER_END.exec(text);
  if (!text.startsWith('---') || !end) throw new Error(`${entry.file}: no front matter to set the popularity in`);
  const block = text.slice(0, end.index);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edited = POPULARITY_LINE.test(block)
    ? block.replace(POPULARITY_LINE, (_line, _value, comment = '') => `popularity: ${popularity}${comment}`)
    : `${block}${eol}popularity: ${popularity}`;
  const result = edited + text.slice(end.index);
  const reread = parseFaqFile(entry.file, entry.locale, result);
  if (Array.isArray(reread) || reread.popularity !== popularity || !isDeepStrictEqual({ ...reread, popularity: 0 }, { ...entry, popularity: 0 })) {
    throw new Error(`${entry.file}: could not set "popularity" without changing other fields; set it by hand to ${popularity}`);
  }
  return result;
}

/** Writes the popularity into the entry's file when it differs; true when the file changed. */
export function writePopularity(entry: FaqEntry, popularity: number): boolean {
  if (entry.popularity === popularity) return false;
  const text = fs.readFileSync(entry.file, 'utf8');
  const updated = withPopularity(entry, text, popularity);
  // Beside the file, then renamed over it: a site build reading it meanwhile sees the old or the new file, whole.
  const temp = path.join(path.dirname(entry.file), `.${path.basename(entry.file)}.${process.pid}.tmp`);
  fs.writeFileSync(temp, updated, { mode: fs.statSync(entry.file).mode & 0o7777 });
  fs.renameSync(temp, entry.file);
  return true;
}
