import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { tempDir } from '../helpers/test-app.ts';
import { postdesk } from '../helpers/cli.ts';

function load(database: unknown, env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir();
  if (database !== undefined) fs.writeFileSync(path.join(dir, 'postdesk.config.json'), JSON.stringify({ database }));
  return loadConfig({ cwd: dir, env });
}

describe('choosing the database', () => {
  it('is SQLite in the data directory without database.url', () => {
    expect(load(undefined).database).toEqual({ kind: 'sqlite' });
  });

  it('takes PostgreSQL from database.url or POSTDESK_DATABASE_URL, without the password in its label', () => {
    const fromFile = load({ url: 'postgres://desk:s3cret@127.0.0.1:5432/postdesk' }).database;
    expect(fromFile).toMatchObject({ kind: 'postgres', url: 'postgres://desk:s3cret@127.0.0.1:5432/postdesk', ssl: false, label: 'postgres://127.0.0.1:5432/postdesk' });
    const fromEnv = load(undefined, { POSTDESK_DATABASE_URL: 'postgresql://desk:pw@db.internal/postdesk' }).database;
    expect(fromEnv).toMatchObject({ kind: 'postgres', ssl: { rejectUnauthorized: true }, label: 'postgres://db.internal/postdesk' });
    expect(load({ url: { env: 'PG_URL' } }, { PG_URL: 'postgres://a:b@localhost/x' }).database).toMatchObject({ kind: 'postgres', ssl: false });
  });

  it('requires TLS with a checked certificate except on a loopback host', () => {
    expect(() => load({ url: 'postgres://a:b@db.internal/x', tls: 'none' })).toThrow(/^config: database\.tls: "none" is only allowed for a loopback host, not db\.internal$/);
    expect(() => load({ url: 'postgres://a:b@db.internal/x', rejectUnauthorized: false })).toThrow(/database\.rejectUnauthorized: false is only allowed for a loopback host/);
    expect(load({ url: 'postgres://a:b@127.0.0.1/x', tls: 'require', rejectUnauthorized: false }).database).toMatchObject({ ssl: { rejectUnauthorized: false } });
    expect(() => load({ url: 'postgres://a:b@db.internal/x', ca: '/nonexistent/ca.pem' })).toThrow(/database\.ca: cannot read \/nonexistent\/ca\.pem/);
  });

  it('names what is wrong with a URL in one line, never echoing the password', () => {
    const wrong = (url: string, env: NodeJS.ProcessEnv = {}) => {
      try {
        load({ url }, env);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error(`accepted ${url}`);
    };
    expect(wrong('not a url')).toBe('config: database.url: not a URL (expected postgres://user:password@host:5432/database)');
    expect(wrong('mysql://a:hunter2@h/x')).toBe('config: database.url: protocol must be postgres: (got mysql:)');
    expect(wrong('postgres://a:hunter2@h')).toBe('config: database.url: no database name (postgres://…/<database>)');
    expect(wrong('postgres://a:hunter2@h/x?sslmode=disable')).toMatch(/give TLS as database\.tls/);
    expect(() => load(undefined, { POSTDESK_DATABASE_URL: 'ftp://x/y' })).toThrow(/^config: POSTDESK_DATABASE_URL \(database\.url\): protocol must be postgres:/);
    expect(() => load({ url: { env: 'UNSET_PG_URL' } })).toThrow(/database\.url: environment variable UNSET_PG_URL is not set/);
    expect(() => load({ url: 'postgres://a:b@h/x', pool: 3 })).toThrow(/database\.pool: unknown key/);
    expect(() => load({ url: 'postgres://a:b@h/x', maxConnections: 2 })).toThrow(/^config: database\.maxConnections: /);
    expect(load({ url: 'postgres://a:b@127.0.0.1/x' }).database).toMatchObject({ maxConnections: 14 });
  });

  it('is named in postdesk --help', () => {
    const help = postdesk(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/database\.url in the config or POSTDESK_DATABASE_URL\s+names a PostgreSQL database/);
  });
});
