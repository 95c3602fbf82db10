// Visible reply extraction: quoted history and the writer's signature go, in the shapes Gmail,
// Outlook, Apple Mail, Thunderbird and Chinese clients produce; and the shared corpus scores do not
// fall below what `npm run eval:quotes` measured (a regression guard, failures listed in the report).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractVisibleText } from '../../src/inbound/visible-text/index.ts';
import { evaluateProject } from '../../scripts/eval-quotes.ts';
import { corpusPath, describeWithSharedCorpora } from '../helpers/shared-corpora.ts';

describe('extractVisibleText', () => {
  it.each([
    ['Gmail (en)', 'Sure, done.\n\nOn Mon, Nov 2, 2026 at 9:00 AM Carol <carol@example.com> wrote:\n> Can you help?\n> Thanks'],
    ['Gmail, address wrapped', 'Sure, done.\n\nOn Mon, Nov 2, 2026 at 9:00 AM Carol Customer <\ncarol@example.com> wrote:\n\n> Can you help?'],
    ['Outlook (en)', 'Sure, done.\n\n________________________________\nFrom: Carol <carol@example.com>\nSent: Monday, November 2, 2026 9:00 AM\nTo: Support\nSubject: Help\n\nCan you help?'],
    ['Outlook bold headers', 'Sure, done.\n\n*From:* Carol [mailto:carol@example.com]\n*Sent:* Monday, November 2, 2026 9:00 AM\n*Subject:* Help\n\nCan you help?'],
    ['Outlook original message', 'Sure, done.\n\n-----Original Message-----\nFrom: Carol\nCan you help?'],
    ['Apple Mail (de)', 'Sure, done.\n\nAm 02.11.2026 um 09:00 schrieb Carol <carol@example.com>:\n\n> Can you help?'],
    ['Thunderbird (fr)', 'Sure, done.\n\nLe 02/11/2026 à 09:00, Carol a écrit :\n> Can you help?'],
    ['Apple Mail (zh)', 'Sure, done.\n\n在 2026年11月2日，上午9:00，Carol <carol@example.com> 写道：\n\n> Can you help?'],
    ['Gmail (zh)', 'Sure, done.\n\nCarol <carol@example.com> 于2026年11月2日周一 09:00写道：\n> Can you help?'],
    ['Outlook / Foxmail (zh)', 'Sure, done.\n\n发件人: Carol <carol@example.com>\n发送时间: 2026年11月2日 9:00\n收件人: support\n主题: 求助\n\nCan you help?'],
    ['QQ Mail (zh)', 'Sure, done.\n\n------------------ 原始邮件 ------------------\n发件人: "Carol";\nCan you help?'],
    ['signature delimiter', 'Sure, done.\n\n-- \nAnn Lee\nSupport engineer'],
    ['iPhone footer', 'Sure, done.\n\nSent from my iPhone'],
    ['iPhone footer (zh)', 'Sure, done.\n\n发自我的iPhone'],
  ])('%s', (_client, text) => {
    expect(extractVisibleText(text)).toBe('Sure, done.');
  });

  it('keeps Chinese replies and text after a quote that is answered inline', () => {
    expect(extractVisibleText('好的，已经处理。\n\n在 2026年11月2日 09:00，张三 <z@example.com> 写道：\n> 请帮忙')).toBe('好的，已经处理。');
    const inline = 'See below.\n\nOn Mon, 2 Nov 2026, Carol <carol@example.com> wrote:\n> First question?\n> more\n\nFirst answer.\n\n> Second question?\n\nSecond answer.';
    expect(extractVisibleText(inline)).toBe(
      'See below.\n\nFirst answer.\n\nSecond answer.',
    );
  });

  it('does not take ordinary sentences for quote headers or signatures', () => {
    const text = 'Something wrote: nothing important.\n\n- first item\n- second item\n\nSent from my desk, which is easier than my phone.';
    expect(extractVisibleText(text)).toBe(text);
  });

  it('cuts HTML quotes at the containers mail clients mark', () => {
    const gmail = '<div dir="ltr">Sure, done.</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Carol wrote:</div><blockquote class="gmail_quote">Can you help?</blockquote></div>';
    const outlook = '<div>Sure, done.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Carol</div><div>Can you help?</div>';
    const apple = '<div>Sure, done.</div><div><br><blockquote type="cite">Can you help?</blockquote></div>';
    // A rule, then the From block and the quoted message in divs of their own: no rule is left dangling.
    const ruled = 'Sure, done.\n<div><hr/><div><font><b>From: carol@example.com</b>\n<b>Date: Mon, 2 Nov 2026 09:00:00 +0100</b></font></div><div>Can you help?</div></div>';
    for (const html of [gmail, outlook, apple, ruled]) expect(extractVisibleText('', html)).toBe('Sure, done.');
  });

  it('a quote followed by many text paragraphs (exponential backtracking in talon\'s inline-reply pattern)', () => {
    const answer = Array.from({ length: 60 }, (_v, i) => `Paragraph ${i} line one\nline two\n`).join('\n').trim();
    expect(extractVisibleText(`> one\n> two\n> three\n\n${answer}`)).toBe(answer);
  });

  it('stays fast on a hostile wall of quote markers (the test times out otherwise)', () => {
    const text = `Hi\n${'>'.repeat(800_000)}\nOn Mon, Carol wrote:\n${'x'.repeat(200_000)}`;
    // Compared as a boolean: a failure must not print a megabyte of diff.
    expect(extractVisibleText(text) === 'Hi').toBe(true);
  });
});

describeWithSharedCorpora('shared reply corpus (regression guard for npm run eval:quotes)', () => {
  // What the current rules reach; the failing cases are listed in scripts/eval-quotes.ts output and the report.
  const floors: Record<string, { exact: number; substring: number }> = {
    'github-email_reply_parser': { exact: 7, substring: 6 },
    'willdurand-EmailReplyParser': { exact: 21, substring: 29 },
    talon: { exact: 59, substring: 1 },
    'crisp-email-reply-parser': { exact: 2, substring: 45 },
  };

  it.each(Object.keys(floors))('%s', async (project) => {
    expect(fs.existsSync(corpusPath('reply', project, 'manifest.json'))).toBe(true);
    const outcomes = await evaluateProject(project);
    const passed = (kind: string) => outcomes.filter((o) => o.kind === kind && o.pass).length;
    expect({ exact: passed('exact'), substring: passed('substring') }).toEqual(floors[project]);
  });
});
