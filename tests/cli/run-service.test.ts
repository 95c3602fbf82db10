// The main job on its embedded default: `postdesk run` watches data/inbox (a Maildir it creates),
// turns a dropped .eml into a ticket, and stops cleanly on SIGTERM; the same on the suite's database
// (PostgreSQL in its run: the service closes its pool and exits).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { postdesk, postdeskAsync, waitForOutput } from '../helpers/cli.ts';
import { cliDataDir, tempDir } from '../helpers/test-app.ts';

describe('postdesk run (embedded default)', () => {
  it('creates data/inbox, turns a dropped mail into a ticket, and exits 0 on SIGTERM', async () => {
    const cwd = tempDir();
    const child = postdeskAsync(['run'], { cwd });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitForOutput(child, /watching .*inbox[/\\]new/, 30_000);
    const inbox = path.join(cwd, 'data', 'inbox');
    fs.writeFileSync(path.join(inbox, 'tmp', 'first.eml'), buildMail({ from: 'Ann <ann@customer.example>', subject: 'Hello from the inbox' }));
    fs.renameSync(path.join(inbox, 'tmp', 'first.eml'), path.join(inbox, 'new', 'first.eml'));
    await waitForOutput(child, /created #1000/, 30_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.readdirSync(path.join(inbox, 'cur'))).toEqual(['first.eml:2,S']);
    const list = JSON.parse(postdesk(['tickets', 'list', '--json'], { cwd }).stdout);
    expect(list).toMatchObject([{ number: 1000, subject: 'Hello from the inbox', customer: { email: 'ann@customer.example' } }]);
  });

  it('does the same on the database its configuration names', async () => {
    const { dataDir, args } = await cliDataDir();
    const child = postdeskAsync(['run', ...args]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitForOutput(child, /watching .*inbox[/\\]new/, 30_000);
    const inbox = path.join(dataDir, 'inbox');
    fs.writeFileSync(path.join(inbox, 'tmp', 'first.eml'), buildMail({ from: 'Ann <ann@customer.example>', subject: 'Hello from the inbox' }));
    fs.renameSync(path.join(inbox, 'tmp', 'first.eml'), path.join(inbox, 'new', 'first.eml'));
    await waitForOutput(child, /created #1000/, 30_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(JSON.parse(postdesk(['tickets', 'list', '--json', ...args]).stdout)).toMatchObject([{ number: 1000, subject: 'Hello from the inbox' }]);
  });
});
