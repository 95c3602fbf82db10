// Bad command lines and unusable data directories, as a user meets them: the real `postdesk`
// prints one line naming what is wrong, never a stack trace, and exits 2 for the command line or
// configuration, 1 for a failure at run time. --debug or POSTDESK_DEBUG=1 show the stack.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

/** Before it failed fast, a data directory under /proc kept Node's recursive mkdirSync busy until killed. */
const HANG_LIMIT_MS = 20_000;

interface Fixtures {
  /** A data directory holding ticket #1000 and its acknowledgement in the outbox. */
  data: string;
  mail: string;
  /** A plain file where a data directory is expected. */
  file: string;
  /** A data directory whose postdesk.sqlite is a text file. */
  corrupt: string;
  /** A data directory the unprivileged user may not write into. */
  locked: string;
  /** A configuration putting the data directory under /proc. */
  procConfig: string;
}

interface BadInput {
  what: string;
  args: (f: Fixtures) => string[];
  exit: 1 | 2;
  says: RegExp;
  unprivileged?: boolean;
}

const BAD_INPUTS: BadInput[] = [
  { what: 'a quarantine id held nowhere', args: (f) => ['--data', f.data, 'quarantine', 'retry', '9999'], exit: 2, says: /no held mail with id 9999/ },
  { what: 'a quarantine id that is no number', args: (f) => ['--data', f.data, 'quarantine', 'retry', 'abc'], exit: 2, says: /'abc' is invalid for argument 'id'/ },
  { what: 'a ticket number in exponent notation', args: (f) => ['--data', f.data, 'tickets', 'show', '1e3'], exit: 2, says: /'1e3' is invalid for argument 'number'/ },
  { what: 'a ticket number in hexadecimal', args: (f) => ['--data', f.data, 'tickets', 'show', '0x3e8'], exit: 2, says: /'0x3e8' is invalid for argument 'number'/ },
  { what: '--limit that is no number', args: (f) => ['--data', f.data, 'tickets', 'list', '--limit', 'abc'], exit: 2, says: /--limit <n>' argument 'abc' is invalid/ },
  { what: 'a negative --limit', args: (f) => ['--data', f.data, 'tickets', 'list', '--limit', '-3'], exit: 2, says: /--limit <n>' argument '-3' is invalid/ },
  { what: 'faq search --limit in exponent notation', args: () => ['faq', 'search', 'refund', '--limit', '1e3'], exit: 2, says: /--limit <n>' argument '1e3' is invalid/ },
  { what: 'an outbox status that does not exist', args: (f) => ['--data', f.data, 'outbox', 'list', '--status', 'bogus'], exit: 2, says: /'bogus' is invalid\. Allowed choices are queued, sent, failed/ },
  { what: '--now that is no ISO time (Date() took it as May 2001)', args: (f) => ['--data', f.data, 'sla', '--now', '5'], exit: 2, says: /--now <iso>' argument '5' is invalid/ },
  { what: '--now on a day the month lacks (Date() rolled it into March)', args: (f) => ['--data', f.data, 'sla', '--now', '2026-02-30'], exit: 2, says: /--now <iso>' argument '2026-02-30' is invalid/ },
  { what: 'imap backfill --since in another date format', args: (f) => ['--data', f.data, 'imap', 'backfill', '--mailbox', 'support', '--since', '12/05/2026'], exit: 2, says: /--since <date>' argument '12\/05\/2026' is invalid/ },
  { what: 'db copy --ca naming no file', args: (f) => ['--data', f.data, 'db', 'copy', '--to', 'postgres://a:b@127.0.0.1/x', '--ca', '/nonexistent/ca.pem'], exit: 2, says: /--ca: cannot read \/nonexistent\/ca\.pem/ },
  { what: 'an unknown option', args: (f) => ['--data', f.data, 'tickets', 'list', '--colour'], exit: 2, says: /unknown option '--colour'/ },
  { what: 'a mailbox that is not configured', args: (f) => ['--data', f.data, 'ingest', f.mail, '--mailbox', 'sales'], exit: 2, says: /no mailbox named sales/ },
  { what: 'an empty --data (it would mean the working directory)', args: () => ['--data', '', 'tickets', 'list'], exit: 2, says: /--data: empty/ },
  { what: 'a data directory that is a file', args: (f) => ['--data', f.file, 'tickets', 'list'], exit: 2, says: /data directory .*: not a directory/ },
  { what: 'a corrupt database', args: (f) => ['--data', f.corrupt, 'tickets', 'list'], exit: 1, says: /database .*postdesk\.sqlite: file is not a database/ },
  { what: 'an unwritable data directory', args: (f) => ['--data', f.locked, 'tickets', 'list'], exit: 1, says: /data directory .*locked: not writable by this user/, unprivileged: true },
  { what: 'a data directory under /proc', args: (f) => ['--config', f.procConfig, 'tickets', 'list'], exit: 1, says: /data directory \/proc\/postdesk-data: cannot create/ },
];

let fixtures: Fixtures;

beforeAll(() => {
  const root = tempDir();
  // The unprivileged user must reach the locked directory to be refused by it.
  fs.chmodSync(root, 0o755);
  const data = path.join(root, 'data');
  const mail = path.join(root, 'mail.eml');
  fs.writeFileSync(mail, buildMail({ from: 'Ann <ann@customer.example>', subject: 'Where is my order?' }));
  expect(postdesk(['--data', data, 'ingest', mail])).toMatchObject({ status: 0, stdout: `created #1000: ${mail}\n` });
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, 'not a directory\n');
  const corrupt = path.join(root, 'corrupt');
  fs.mkdirSync(corrupt, { mode: 0o700 }); // private, as Postdesk keeps it: no tightening warning first
  fs.writeFileSync(path.join(corrupt, 'postdesk.sqlite'), 'this is not a SQLite database\n');
  const locked = path.join(root, 'locked');
  fs.mkdirSync(locked, { mode: 0o555 });
  const procConfig = path.join(root, 'proc.json');
  fs.writeFileSync(procConfig, JSON.stringify({ dataDir: '/proc/postdesk-data' }));
  fixtures = { data, mail, file, corrupt, locked, procConfig };
});

describe('postdesk errors', () => {
  it.each(BAD_INPUTS)('$what: exit $exit, one line naming it, no stack', ({ args, exit, says, unprivileged }) => {
    const run = postdesk(args(fixtures), { unprivileged, timeoutMs: HANG_LIMIT_MS });
    expect(run.status).toBe(exit);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^postdesk: [^\n]+\n$/);
    expect(run.stderr).toMatch(says);
    expect(run.stderr).not.toContain('    at ');
  });

  it('shows the stack of a failure with --debug or POSTDESK_DEBUG=1', () => {
    for (const run of [
      postdesk(['--data', fixtures.corrupt, '--debug', 'tickets', 'list']),
      postdesk(['--data', fixtures.corrupt, 'tickets', 'list'], { env: { POSTDESK_DEBUG: '1' } }),
    ]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^postdesk: Error: database .*postdesk\.sqlite: file is not a database\n {4}at /);
      // The cause, SQLite's own error, too.
      expect(run.stderr).toContain('[cause]: SqliteError: file is not a database');
    }
  });

  it('the mail pipes give up at once on a data directory under /proc: exit 75, the MTA retries', () => {
    const mail = buildMail({ from: 'ann@customer.example' });
    for (const args of [['deliver', '--data', '/proc/postdesk-data'], ['ingest', '-', '--data', '/proc/postdesk-data']]) {
      expect(postdesk(args, { input: mail, timeoutMs: HANG_LIMIT_MS })).toMatchObject({ status: 75, stderr: 'postdesk: temporary local problem, mail not accepted yet\n' });
    }
  });
});
