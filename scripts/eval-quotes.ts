// Reply-extraction quality: runs src/inbound/visible-text on every fixture of ../shared/corpora/reply
// that has an expectation, one project's manifest at a time (the projects disagree on signatures).
// Exact expectations (`expected_visible_text`, `expected_html`) are the target; substring checks
// (`expected_contains`, `expected_not_contains`, `expected_starts_with`) are reported beside them.
// Run: npm run eval:quotes [-- --failures] [-- --json]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convert } from 'html-to-text';
import { simpleParser } from 'mailparser';
import { extractVisibleText } from '../src/inbound/visible-text/index.ts';

interface Entry {
  file: string;
  plain_part_file?: string;
  compare?: 'exact' | 'trim' | 'ignore_all_whitespace';
  expected_visible_text?: string;
  expected_html?: string;
  expected_contains?: string[];
  expected_not_contains?: string[];
  expected_starts_with?: string;
  requires_config?: string;
}

export interface Outcome {
  file: string;
  kind: 'exact' | 'substring';
  pass: boolean;
  /** Byte-exact, without even the trailing-whitespace allowance. */
  strict: boolean;
  requiresConfig: boolean;
  got: string;
  want: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(repoRoot, '../shared/corpora/reply');

const noSpace = (s: string) => s.replace(/\s+/g, '');
/**
 * The projects disagree on invisible whitespace, so no output is byte-exact on all of them: GitHub and
 * willdurand right-trim the text and every line (github email_1_1: "after " is expected as "after"),
 * crisp keeps trailing newlines, talon keeps lines as they came (inline_text/051: "2011 " stays).
 * "exact" therefore ignores whitespace at line ends and at both ends of the text; `strict` reports
 * byte equality. Leading whitespace inside the text (indentation) still counts.
 */
const visible = (s: string) => s.replace(/[^\S\n]+$/gm, '').trim();
/**
 * talon's HTML expectations are markup its tests compare without whitespace. As text an <hr> holds no
 * words (talon's own html_to_text turns it into a line break), so it is not drawn as a row of dashes.
 */
const htmlText = (html: string) => convert(html, { wordwrap: false, selectors: [{ selector: 'hr', format: 'lineBreak' }] });

async function visibleTextOf(dir: string, entry: Entry): Promise<string> {
  const file = path.join(dir, entry.plain_part_file ?? entry.file);
  const content = fs.readFileSync(file);
  if (file.endsWith('.html')) return extractVisibleText('', content.toString('utf8'));
  if (file.endsWith('.eml')) {
    const parsed = await simpleParser(content);
    return extractVisibleText(parsed.text ?? '', typeof parsed.html === 'string' ? parsed.html : null);
  }
  return extractVisibleText(content.toString('utf8'));
}

function judge(entry: Entry, got: string): Omit<Outcome, 'file' | 'requiresConfig'>[] {
  const outcomes: Omit<Outcome, 'file' | 'requiresConfig'>[] = [];
  const want = entry.expected_visible_text ?? (entry.expected_html !== undefined ? htmlText(entry.expected_html) : undefined);
  if (want !== undefined) {
    const compare = entry.compare ?? 'exact';
    const pass = compare === 'ignore_all_whitespace' || entry.expected_html !== undefined ? noSpace(got) === noSpace(want) : visible(got) === visible(want);
    outcomes.push({ kind: 'exact', pass, strict: got === want, got, want });
  }
  const checks = [
    // Needles lose surrounding whitespace, as our output does.
    ...(entry.expected_contains ?? []).map((s) => ({ ok: got.includes(s.trim()), want: `contains ${JSON.stringify(s)}` })),
    ...(entry.expected_not_contains ?? []).map((s) => ({ ok: !got.includes(s.trim()), want: `does not contain ${JSON.stringify(s)}` })),
    ...(entry.expected_starts_with !== undefined ? [{ ok: got.startsWith(entry.expected_starts_with.trim()), want: `starts with ${JSON.stringify(entry.expected_starts_with)}` }] : []),
  ];
  if (checks.length) {
    const failed = checks.filter((c) => !c.ok);
    outcomes.push({ kind: 'substring', pass: !failed.length, strict: !failed.length, got, want: failed.map((c) => c.want).join('; ') || 'all checks' });
  }
  return outcomes;
}

export async function evaluateProject(project: string): Promise<Outcome[]> {
  const dir = path.join(corpus, project);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Entry[];
  const outcomes: Outcome[] = [];
  for (const entry of manifest) {
    const got = await visibleTextOf(dir, entry);
    outcomes.push(...judge(entry, got).map((o) => ({ ...o, file: entry.file, requiresConfig: entry.requires_config !== undefined })));
  }
  return outcomes;
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '   —  ');

async function main() {
  if (!fs.existsSync(corpus)) {
    console.error(`${corpus} not found: put shared/ beside the repo`);
    process.exit(1);
  }
  const showFailures = process.argv.includes('--failures');
  const projects = fs.readdirSync(corpus).filter((p) => fs.existsSync(path.join(corpus, p, 'manifest.json'))).sort();
  const rows = [];
  for (const project of projects) {
    const outcomes = await evaluateProject(project);
    const exact = outcomes.filter((o) => o.kind === 'exact');
    const plain = exact.filter((o) => !o.requiresConfig);
    const substring = outcomes.filter((o) => o.kind === 'substring');
    rows.push({ project, outcomes, exact, plain, substring });
  }
  if (process.argv.includes('--json')) {
    const summary = rows.map((r) => ({
      project: r.project,
      exact: { total: r.exact.length, pass: r.exact.filter((o) => o.pass).length, strict: r.exact.filter((o) => o.strict).length },
      exactWithoutProjectConfig: { total: r.plain.length, pass: r.plain.filter((o) => o.pass).length },
      substring: { total: r.substring.length, pass: r.substring.filter((o) => o.pass).length },
      failures: r.outcomes.filter((o) => !o.pass).map((o) => ({ file: o.file, kind: o.kind, requiresConfig: o.requiresConfig })),
    }));
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  console.log('project                        exact (ws-trim)        byte-exact   exact w/o project config   substring checks');
  for (const r of rows) {
    const pass = r.exact.filter((o) => o.pass).length;
    const strict = r.exact.filter((o) => o.strict).length;
    const plainPass = r.plain.filter((o) => o.pass).length;
    const subPass = r.substring.filter((o) => o.pass).length;
    console.log(
      `${r.project.padEnd(30)} ${`${pass}/${r.exact.length}`.padStart(7)} ${pct(pass, r.exact.length).padStart(8)}   ${pct(strict, r.exact.length).padStart(8)}   ${`${plainPass}/${r.plain.length}`.padStart(7)} ${pct(plainPass, r.plain.length).padStart(8)}           ${`${subPass}/${r.substring.length}`.padStart(7)} ${pct(subPass, r.substring.length).padStart(8)}`,
    );
  }
  for (const r of rows) {
    const failed = r.outcomes.filter((o) => !o.pass);
    if (!failed.length) continue;
    console.log(`\n${r.project}: ${failed.length} failing`);
    for (const o of failed) {
      console.log(`  ${o.kind.padEnd(9)} ${o.file}${o.requiresConfig ? ' (needs the project\'s own config)' : ''}`);
      if (showFailures) console.log(`    want: ${JSON.stringify(o.want).slice(0, 300)}\n    got:  ${JSON.stringify(o.got).slice(0, 300)}`);
    }
  }
}

// Run as a script (npm run eval:quotes); imported by the regression test, it only exports.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
