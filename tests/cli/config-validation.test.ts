// Configuration that cannot work stops `postdesk` when it loads: exit 2 and one line naming the key
// (or the POSTDESK_* variable), never a stack trace, and never a service that starts and then
// quarantines every mail.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POSTDESK_BIN, postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

interface BadConfig {
  /** The config file's text; JSON.stringify of anything but a string. */
  file?: unknown;
  env?: Record<string, string>;
  /** What the one line on stderr says after `postdesk: `. */
  says: RegExp;
}

const imap = { host: 'imap.example.com', user: 'u', password: 'p' };
const calendar = { timeZone: 'Europe/Berlin', hours: { mon: ['09:00-17:00'] } };

const BAD_CONFIGS: Record<string, BadConfig> = {
  'an unknown time zone': { file: { timeZone: 'Mars/Olympus_Mons' }, says: /^config: timeZone: unknown time zone "Mars\/Olympus_Mons"$/ },
  'an unknown calendar time zone': {
    file: { sla: { calendars: { office: { ...calendar, timeZone: 'Europe/Atlantis' } } } },
    says: /^config: sla\.calendars\.office\.timeZone: unknown time zone "Europe\/Atlantis"$/,
  },
  'a config file of []': { file: '[]', says: /^config .*postdesk\.config\.json: expected a JSON object \(\{ \.\.\. \}\) at the top level, got an array$/ },
  'a config file of null': { file: 'null', says: /^config .*postdesk\.config\.json: expected a JSON object .* got null$/ },
  'an empty POSTDESK_DATA': { env: { POSTDESK_DATA: '' }, says: /^config: POSTDESK_DATA: set but empty/ },
  'an empty POSTDESK_SECRET': { env: { POSTDESK_SECRET: '' }, says: /^config: POSTDESK_SECRET: set but empty/ },
  'an empty dataDir': { file: { dataDir: '' }, says: /^config: dataDir: empty/ },
  'a helpUrl that is not http(s)': { file: { helpUrl: 'javascript:alert(1)' }, says: /^config: helpUrl: expected an http:\/\/ or https:\/\/ URL$/ },
  'a POSTDESK_HELP_URL that is not http(s)': { env: { POSTDESK_HELP_URL: 'ftp://help.example.com/' }, says: /^config: POSTDESK_HELP_URL \(helpUrl\): expected an http/ },
  'a POSTDESK_ADDRESS that is no address': { env: { POSTDESK_ADDRESS: 'help desk' }, says: /^config: POSTDESK_ADDRESS \(address\): Invalid email/ },
  'an interval past the timer limit': {
    file: { mailboxes: [{ name: 'support', address: 'help@example.com', imap: { ...imap, pollIntervalSeconds: 1e10 } }] },
    says: /^config: mailboxes\.0\.imap\.pollIntervalSeconds: Too big/,
  },
  'a response target of a century': { file: { sla: { policies: [{ firstResponseHours: 876000 }] } }, says: /^config: sla\.policies\.0\.firstResponseHours: Too big/ },
  'a reopen window past the calendar': { file: { tickets: { reopenWindowDays: 1e12 } }, says: /^config: tickets\.reopenWindowDays: Too big/ },
  'a policy for a mailbox that does not exist': {
    file: { sla: { policies: [{ mailbox: 'sales', firstResponseHours: 4 }] } },
    says: /^config: sla\.policies\.0\.mailbox: no mailbox named sales \(configured: support\)$/,
  },
  'two mailboxes of one name': {
    file: { mailboxes: [{ name: 'support', address: 'a@example.com' }, { name: 'support', address: 'b@example.com' }] },
    says: /^config: mailboxes\.1\.name: a second mailbox named support$/,
  },
  'an SMTP certificate check switched off for a remote host': {
    file: { smtp: { host: 'smtp.example.com', rejectUnauthorized: false } },
    says: /^config: smtp\.rejectUnauthorized: false is only allowed for a loopback host, not smtp\.example\.com/,
  },
  'an IMAP certificate check switched off for a remote host': {
    file: { mailboxes: [{ name: 'support', address: 'help@example.com', imap: { ...imap, rejectUnauthorized: false } }] },
    says: /^config: mailboxes\.0\.imap\.rejectUnauthorized: false is only allowed for a loopback host, not imap\.example\.com/,
  },
  'plain IMAP to a remote host': {
    file: { mailboxes: [{ name: 'support', address: 'help@example.com', imap: { ...imap, tls: 'none' } }] },
    says: /^config: mailboxes\.0\.imap\.tls: "none" is only allowed for a loopback host, not imap\.example\.com$/,
  },
  'an SMTP CA file that does not exist': { file: { smtp: { host: '127.0.0.1', ca: '/nonexistent/ca.pem' } }, says: /^config: smtp\.ca: cannot read \/nonexistent\/ca\.pem \(ENOENT\)$/ },
  'an SMTP CA file that holds no certificate': { file: { smtp: { host: '127.0.0.1', ca: POSTDESK_BIN } }, says: /^config: smtp\.ca: .*bin\/postdesk\.js holds no PEM certificate/ },
  'a templatesDir that does not exist': { file: { outbound: { templatesDir: '/nonexistent/templates' } }, says: /^config: outbound\.templatesDir: no directory \/nonexistent\/templates$/ },
};

describe('configuration that cannot work is refused at load', () => {
  it.each(Object.entries(BAD_CONFIGS))('%s: exit 2, one line naming it', (_name, bad) => {
    const dir = tempDir();
    const config = path.join(dir, 'postdesk.config.json');
    fs.writeFileSync(config, typeof bad.file === 'string' ? bad.file : JSON.stringify(bad.file ?? {}));
    const run = postdesk(['tickets', 'list', '--config', config], { cwd: dir, env: bad.env });
    expect(run.stderr).not.toMatch(/^ {4}at /m);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd().replace(/^postdesk: /, '')).toMatch(bad.says);
    expect(run.status).toBe(2);
    // Nothing was created in the working directory (an empty POSTDESK_DATA used to mean "here").
    expect(fs.readdirSync(dir)).toEqual(['postdesk.config.json']);
  });

  it('keeps exit 75 for the mail pipes, so the MTA retries once the administrator fixes it', () => {
    const dir = tempDir();
    const run = postdesk(['deliver'], { cwd: dir, env: { POSTDESK_DATA: '' }, input: 'Subject: hi\n\nhello\n' });
    expect(run.status).toBe(75);
    expect(run.stderr).toBe('postdesk: temporary local problem, mail not accepted yet\n');
  });
});
