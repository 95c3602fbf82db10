import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaqValidationError, loadFaqDir } from '../../src/search/faq-loader.ts';
import { LOCALES, STAGES } from '../../src/search/faq-schema.ts';

const repoFaq = path.resolve(import.meta.dirname, '../../faq');

function faqDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'postdesk-faq-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadFaqDir(dir);
  } catch (err) {
    if (err instanceof FaqValidationError) return err.problems;
    throw err;
  }
  return [];
}

const valid = '---\nquestion: How do I reset my password?\nstage: new\ncategory: account\n---\nUse the link.\n';

describe('the sample FAQ', () => {
  const entries = loadFaqDir(repoFaq);

  it.each(LOCALES)('has at least 30 questions in %s, in every stage and the five categories', (locale) => {
    const mine = entries.filter((e) => e.locale === locale);
    expect(mine.length).toBeGreaterThanOrEqual(30);
    expect(new Set(mine.map((e) => e.stage))).toEqual(new Set(STAGES));
    expect(new Set(mine.map((e) => e.category))).toEqual(new Set(['product', 'upgrades', 'orders', 'account', 'help']));
  });

  it('reads the optional fields', () => {
    const reset = entries.find((e) => e.locale === 'en' && e.slug === 'reset-password')!;
    expect(reset).toMatchObject({ stage: 'new', category: 'account', related: expect.arrayContaining(['change-email']) });
    expect(reset.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(reset.tags.length).toBeGreaterThan(0);
  });
});

describe('loadFaqDir on broken files', () => {
  it('applies defaults to a minimal file', () => {
    const [entry] = loadFaqDir(faqDirWith({ 'en/reset-password.md': valid }));
    expect(entry).toMatchObject({ slug: 'reset-password', locale: 'en', popularity: 0, tags: [], related: [], body: 'Use the link.' });
  });

  it.each([
    ['a missing question', valid.replace(/question:.*\n/, ''), 'field "question": is required'],
    ['an unknown stage', valid.replace('stage: new', 'stage: beginner'), 'field "stage"'],
    ['a bad date', valid.replace('category: account', 'category: account\nupdated: 1 Nov 2026'), 'field "updated"'],
    ['a misspelt field', valid.replace('category: account', 'category: account\npopularty: 3'), 'field "popularty"'],
    ['a related slug that does not exist', valid.replace('category: account', 'category: account\nrelated: [nope]'), 'field "related"'],
    ['no front matter', 'Just text', 'missing front matter'],
    ['invalid YAML', '---\nquestion: [unclosed\n---\nx', 'not valid YAML'],
    ['an empty answer', valid.replace('Use the link.\n', ''), 'answer'],
  ])('names the file and the problem for %s', (_, text, expected) => {
    const dir = faqDirWith({ 'en/reset-password.md': text });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(path.join(dir, 'en/reset-password.md'));
    expect(problems[0]).toContain(expected);
  });

  it('reports one problem per broken file, not one per link to it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'postdesk-faq-'));
    cpSync(repoFaq, dir, { recursive: true });
    writeFileSync(path.join(dir, 'en/reset-password.md'), valid.replace('stage: new', 'stage: later'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/reset-password\.md: field "stage"/)]);
  });
});

describe('drafts', () => {
  const draft = valid.replace('category: account', 'category: account\ndraft: true');

  it('are left out unless asked for, so the site, the search and mail never see them', () => {
    const dir = faqDirWith({ 'en/reset-password.md': valid, 'en/student-discount.md': draft.replace('reset my password', 'get a student discount') });
    expect(loadFaqDir(dir).map((e) => e.slug)).toEqual(['reset-password']);
    expect(loadFaqDir(dir, { drafts: true }).map((e) => [e.slug, e.draft])).toEqual([
      ['reset-password', false],
      ['student-discount', true],
    ]);
  });

  it('may wait for the answer; a published question may not, and a comment is no answer', () => {
    const note = '<!-- asked in tickets #1001, #1004 -->\n';
    expect(loadFaqDir(faqDirWith({ 'en/reset-password.md': draft.replace('Use the link.\n', note) }), { drafts: true })).toHaveLength(1);
    expect(problemsOf(faqDirWith({ 'en/reset-password.md': valid.replace('Use the link.\n', note) }))).toEqual([expect.stringContaining('answer')]);
  });

  it('are still validated, and a published question may not link to one', () => {
    expect(problemsOf(faqDirWith({ 'en/reset-password.md': draft.replace('stage: new', 'stage: later') }))).toEqual([expect.stringContaining('field "stage"')]);
    const dir = faqDirWith({
      'en/reset-password.md': valid.replace('category: account', 'category: account\nrelated: [student-discount]'),
      'en/student-discount.md': draft,
    });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/reset-password\.md: field "related": "student-discount" is a draft/)]);
  });
});
