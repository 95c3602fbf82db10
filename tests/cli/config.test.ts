import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { parseAgentList } from '../../src/config/environment.ts';
import { postdesk } from '../helpers/cli.ts';
import { STRONG_SECRET, tempDir } from '../helpers/test-app.ts';

function withConfig(config: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'postdesk.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('configuration', () => {
  it('names the wrong key in one line and exits 2', () => {
    const dir = withConfig({ mailboxes: [{ name: 'support', address: 'support@example.com', imap: { host: 'h', user: 'u', password: 'p', port: 'x' } }] });
    const run = postdesk(['tickets', 'list', '--data', path.join(dir, 'data')], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^postdesk: config: mailboxes\.0\.imap\.port: /);
  });

  it('rejects unknown keys and a missing required key', () => {
    const unknown = postdesk(['tickets', 'list'], { cwd: withConfig({ adress: 'x@example.com' }) });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/config: adress: unknown key/);
    const missing = postdesk(['tickets', 'list'], { cwd: withConfig({ agents: [{ name: 'Ann' }] }) });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/config: agents\.0\.email: /);
  });

  it('reports broken JSON and a missing --config file', () => {
    expect(postdesk(['tickets', 'list'], { cwd: withConfig('{ nope') }).stderr).toMatch(/not valid JSON/);
    const missing = postdesk(['tickets', 'list', '--config', '/nonexistent/postdesk.json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/file not found/);
  });

  it('builds a one-mailbox setup from environment variables alone', () => {
    const config = loadConfig({
      cwd: tempDir(),
      env: {
        POSTDESK_ADDRESS: 'help@shop.example',
        POSTDESK_IMAP_URL: 'imaps://bot%40shop.example:s3cr%2Ft@mail.shop.example/Support',
        POSTDESK_SMTP_URL: 'smtp://bot:pw@127.0.0.1:2525',
        POSTDESK_AGENTS: 'Ann Lee <ann@shop.example>, bob@shop.example',
        POSTDESK_DATA: '/tmp/pd-data',
        POSTDESK_HELP_URL: 'https://help.shop.example/',
      },
    });
    expect(config.dataDir).toBe('/tmp/pd-data');
    expect(config.mailboxes[0]).toMatchObject({
      name: 'support',
      address: 'help@shop.example',
      imap: { host: 'mail.shop.example', port: 993, tls: 'implicit', user: 'bot@shop.example', password: 's3cr/t', folder: 'Support' },
    });
    expect(config.smtp).toMatchObject({ host: '127.0.0.1', port: 2525, secure: false, user: 'bot', password: 'pw' });
    expect(config.agents.map((a) => a.email)).toEqual(['ann@shop.example', 'bob@shop.example']);
    expect(config.helpUrl).toBe('https://help.shop.example/');
  });

  it('resolves secrets given as environment references, and fails clearly when unset', () => {
    expect(parseAgentList('"Ann" <ann@x.example>')).toEqual([{ name: 'Ann', email: 'ann@x.example' }]);
    expect(() => parseAgentList('Ann <not-an-address>')).toThrow(/POSTDESK_AGENTS: not an address/);
    const dir = withConfig({ secret: { env: 'PD_TEST_SECRET' } });
    const run = postdesk(['tickets', 'list'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/secret: environment variable PD_TEST_SECRET is not set/);
    expect(postdesk(['tickets', 'list'], { cwd: dir, env: { PD_TEST_SECRET: STRONG_SECRET } }).status).toBe(0);
  });
});
