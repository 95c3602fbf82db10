// What the CLI prints for a person is safe to print on a terminal: a subject or a name is the
// sender's text, and a terminal obeys the escape sequences in it (clear the screen, set the window
// title, write the clipboard) and the bidi controls that reorder what it shows. The text output shows
// them as visible escapes, `--json` keeps the exact text, and `tickets list` stays in columns with
// wide (CJK) characters.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { cleanEnv, jsonLines, postdesk, POSTDESK_BIN } from '../helpers/cli.ts';
import { buildMail } from '../helpers/mail.ts';
import { describeIfAvailable } from '../helpers/requirements.ts';
import { cliDataDir } from '../helpers/test-app.ts';

const ENV = { POSTDESK_ADDRESS: 'support@desk.example', POSTDESK_AGENTS: 'Ann Lee <ann@agents.example>' };
const NOW = '2026-11-02T10:00:00Z';

const CLEAR_SCREEN = '\x1b[2J';
const WINDOW_TITLE = '\x1b]0;pwned\x07';
const CLIPBOARD = '\x1b]52;c;ZWNobyBoaQ==\x07';
const RLO = '\u202e';
const SUBJECT = `Printer ${CLEAR_SCREEN}broke ${WINDOW_TITLE}${CLIPBOARD} see invoice${RLO}fdp.exe \x9b31m`;
const NAME = `Mallory \x1b[31mRed${RLO}`;
const MALLORY = 'mallory@customer.example';

/** Any character a terminal would act on: C0 (but tab and line feed), DEL, C1, and the bidi controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const encodedWord = (text: string) => `=?utf-8?B?${Buffer.from(text).toString('base64')}?=`;

/** `desk`: the --data and --config of a data directory on the suite's database (cliDataDir). */
function run(desk: string[], args: string[]) {
  const result = postdesk([...desk, '--now', NOW, ...args], { env: ENV });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

function ingest(desk: string[], mail: Buffer): void {
  const result = postdesk([...desk, '--now', NOW, 'ingest', '-'], { input: mail, env: ENV });
  expect(result.status, result.stderr).toBe(0);
}

describe('text output of a hostile subject and name', () => {
  let data: string[];
  beforeAll(async () => {
    ({ args: data } = await cliDataDir());
    const attachments = [{ filename: `invoice${RLO}fdp.exe`, content: Buffer.from('MZ') }];
    ingest(data, buildMail({ from: `${encodedWord(NAME)} <${MALLORY}>`, subject: encodedWord(SUBJECT), text: `Look:\r\n${CLEAR_SCREEN}tab\there\r\n`, attachments }));
  });

  it.each([
    ['tickets list', ['tickets', 'list']],
    ['tickets show', ['tickets', 'show', '1000']],
    ['customers show', ['customers', 'show', MALLORY]],
    ['sla', ['sla']],
  ])('%s prints no raw control character, but visible escapes', (_what, args) => {
    const out = run(data, args);
    expect(out).not.toMatch(RAW_CONTROL);
    // (tickets list cuts long subjects)
    expect(out).toContain('Printer \\x1b[2Jbroke \\x1b]0;pwned\\x07\\x1b]52;c;');
  });

  it('tickets show escapes the name, and keeps the lines and tabs of the text', () => {
    const out = run(data, ['tickets', 'show', '1000']);
    expect(out).toContain('#1000 Printer \\x1b[2Jbroke \\x1b]0;pwned\\x07\\x1b]52;c;ZWNobyBoaQ==\\x07 see invoice\\u202efdp.exe \\x9b31m\n');
    expect(out).toContain('customer Mallory \\x1b[31mRed\\u202e <mallory@customer.example>');
    expect(out).toContain('Look:\n\\x1b[2Jtab\there\n');
  });

  it('--json keeps the exact text', () => {
    const [list] = jsonLines<{ subject: string; customer: { name: string } }[]>(run(data, ['tickets', 'list', '--json']));
    expect(list[0].subject).toBe(SUBJECT);
    expect(list[0].customer.name).toBe(NAME);
    const [show] = jsonLines<{ subject: string; customer: { name: string } }>(run(data, ['tickets', 'show', '1000', '--json']));
    expect(show.subject).toBe(SUBJECT);
    expect(show.customer.name).toBe(NAME);
  });
});

describe('tickets list', () => {
  it('stays in columns with wide (CJK) characters in subjects', async () => {
    const { args: data } = await cliDataDir();
    const long = '滤网指示灯一直亮着红色'.repeat(10);
    const subjects = ['Short', '打印机坏了，无法打印任何文件', 'Mixed 日本語のテキスト and ASCII', '한국어 제목', long];
    subjects.forEach((subject, i) => ingest(data, buildMail({ from: `c${i}@customer.example`, subject: encodedWord(subject) })));
    const lines = run(data, ['tickets', 'list']).trimEnd().split('\n');
    expect(lines).toHaveLength(subjects.length);
    // The due time is the column after the subject: it starts at the same place on every line.
    const dueColumns = lines.map((line) => stringWidth(line.slice(0, line.indexOf(' due '))));
    expect(new Set(dueColumns).size, lines.join('\n')).toBe(1);
    // A subject wider than its column is cut there, between characters; tickets show has the whole.
    expect(lines[0]).toContain(`${long.slice(0, 29)}…  due`);
  });
});

const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' });

describeIfAvailable('postdesk raw on a terminal', SCRIPT.status === 0 ? null : 'script (util-linux) is missing: apt-get install bsdutils', () => {
  it('shows the kept mail with visible escapes on a terminal, and byte for byte through a pipe', async () => {
    const { args: data } = await cliDataDir();
    const mail = buildMail({ from: MALLORY, subject: `Raw ${CLEAR_SCREEN}${CLIPBOARD}`, text: `Body ${WINDOW_TITLE}` });
    ingest(data, mail);
    const [show] = jsonLines<{ messages: { raw: string }[] }>(run(data, ['tickets', 'show', '1000', '--json']));
    const args = [...data, 'raw', show.messages[0].raw];
    const piped = postdesk(args, { env: ENV });
    expect(Buffer.from(piped.stdout)).toEqual(mail);
    // script(1) runs the command on a pseudo-terminal, which turns each line feed into CR LF.
    const command = [process.execPath, POSTDESK_BIN, ...args].map((a) => `'${a}'`).join(' ');
    const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { env: cleanEnv(ENV), encoding: 'utf8' });
    expect(onTerminal.status, onTerminal.stderr).toBe(0);
    const shown = onTerminal.stdout.replace(/\r\n/g, '\n');
    expect(shown).not.toMatch(RAW_CONTROL);
    expect(shown).toContain('Subject: Raw \\x1b[2J\\x1b]52;c;ZWNobyBoaQ==\\x07\n');
    expect(shown).toContain('Body \\x1b]0;pwned\\x07');
  });
});
