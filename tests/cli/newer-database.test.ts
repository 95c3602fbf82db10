// A database a newer Postdesk has migrated (an upgrade rolled back, a backup restored on an older
// install): this Postdesk does not know its schema, so it refuses it in one line, before it reads or
// writes anything, instead of failing mail by mail or writing rows the newer schema does not expect.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMail } from '../helpers/mail.ts';
import { postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

/** A migration this Postdesk has never heard of, applied a year from now. */
const FUTURE_MIGRATION_MS = Date.parse('2027-12-01T00:00:00Z');
const REFUSAL = /^postdesk: database .*postdesk\.sqlite: migrated by a newer Postdesk \(its schema is of 2027-12-01, this Postdesk knows it up to \d{4}-\d{2}-\d{2}\); run that newer version, or restore a backup made by this one\n$/;

describe('a database migrated by a newer Postdesk', () => {
  let data: string;
  let mail: string;
  beforeAll(() => {
    const root = tempDir();
    data = path.join(root, 'data');
    mail = path.join(root, 'mail.eml');
    fs.writeFileSync(mail, buildMail({ from: 'Ann <ann@customer.example>', subject: 'Where is my order?' }));
    expect(postdesk(['--data', data, 'ingest', mail]).status).toBe(0);
    const sqlite = new Database(path.join(data, 'postdesk.sqlite'));
    sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)').run('a-newer-schema', FUTURE_MIGRATION_MS);
    sqlite.close();
  });

  it('is refused by every command in one line, exit 1, and left as it was', () => {
    const before = fs.readFileSync(path.join(data, 'postdesk.sqlite'));
    for (const args of [['tickets', 'list'], ['ingest', mail]]) {
      const run = postdesk(['--data', data, ...args]);
      expect(run.stderr).toMatch(REFUSAL);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
    }
    expect(fs.readFileSync(path.join(data, 'postdesk.sqlite')).equals(before)).toBe(true);
  });

  it('makes an MTA pipe defer the mail (exit 75), to be delivered once the right version runs', () => {
    const run = postdesk(['--data', data, 'ingest', '-'], { input: fs.readFileSync(mail) });
    expect(run.status).toBe(75);
  });

  it('is not restored from a backup: the restore says why and leaves the directory empty', () => {
    const archive = path.join(tempDir(), 'newer.tar');
    expect(postdesk(['--data', data, 'db', 'backup', archive]).status).toBe(0);
    const target = path.join(tempDir(), 'restored');
    const run = postdesk(['--data', target, 'db', 'restore', archive]);
    expect(run.stderr).toMatch(/^postdesk: db restore: .*newer\.tar: migrated by a newer Postdesk \(its schema is of 2027-12-01, this Postdesk knows it up to \d{4}-\d{2}-\d{2}\); run that newer version, or restore a backup made by this one; .*restored is left empty\n$/);
    expect(run.status).toBe(1);
    expect(fs.readdirSync(target)).toEqual([]);
  });
});
