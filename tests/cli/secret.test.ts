// The signing secret (the HMAC key of reply tokens): whoever knows it can forge an agent's reply. A
// weak one from the configuration, the environment or the data directory's file stops postdesk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_BITS, secretBits } from '../../src/config/secret.ts';
import { postdesk } from '../helpers/cli.ts';
import { STRONG_SECRET, tempDir, testApp } from '../helpers/test-app.ts';

/** `tickets list` on a fresh data directory with this config and environment. */
function run(config: Record<string, unknown>, env: Record<string, string> = {}, data = path.join(tempDir(), 'data')) {
  const file = path.join(path.dirname(data), 'postdesk.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return postdesk(['tickets', 'list', '--config', file, '--data', data], { env });
}

function expectRefused(result: ReturnType<typeof postdesk>, says: RegExp): void {
  expect(result.stderr).not.toMatch(/^ {4}at /m);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(says);
  expect(result.status).toBe(2);
}

describe('signing secret', () => {
  it('counts key material by the densest reading of its characters', () => {
    expect(secretBits('0123456789abcdef'.repeat(4))).toBe(256); // 64 hex digits
    expect(secretBits(STRONG_SECRET)).toBe(258); // `openssl rand -base64 32`: 43 characters and a pad
    expect(secretBits('correct horse battery staple 42!')).toBe(256); // 32 bytes of other text
    expect(secretBits('')).toBe(0);
    expect(MIN_SECRET_BITS).toBe(256);
  });

  it('refuses an empty or short secret from the config file, naming the key', () => {
    expectRefused(run({ secret: '' }), /^postdesk: config: secret: empty; a signing secret needs 64 hex digits or 43 base64 characters/);
    expectRefused(run({ secret: 'a' }), /^postdesk: config: secret: too short \(4 bits of key material, at least 256 needed/);
    // 32 hex digits look long, but carry 128 bits.
    expectRefused(run({ secret: 'deadbeef'.repeat(4) }), /^postdesk: config: secret: too short \(128 bits/);
    expect(run({ secret: 'deadbeef'.repeat(8) }).status).toBe(0);
    expect(run({ secret: STRONG_SECRET }).status).toBe(0);
  });

  it('refuses a short secret from POSTDESK_SECRET or an { env } reference, naming the variable', () => {
    expectRefused(run({}, { POSTDESK_SECRET: 'hunter2' }), /^postdesk: config: POSTDESK_SECRET \(secret\): too short/);
    expectRefused(run({ secret: { env: 'PD_SIGNING' } }, { PD_SIGNING: 'abc' }), /^postdesk: config: secret \(environment variable PD_SIGNING\): too short/);
    expectRefused(run({ secret: { env: 'PD_SIGNING' } }, { PD_SIGNING: '' }), /^postdesk: config: secret \(environment variable PD_SIGNING\): empty/);
    expect(run({}, { POSTDESK_SECRET: STRONG_SECRET }).status).toBe(0);
  });

  it('generates 32 random bytes into a file only its owner may read, whatever the umask', () => {
    const data = path.join(tempDir(), 'data');
    const old = process.umask(0o022);
    try {
      expect(run({}, {}, data).status).toBe(0);
    } finally {
      process.umask(old);
    }
    const file = path.join(data, 'secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readdirSync(data).filter((n) => n.startsWith('secret'))).toEqual(['secret']);
    // Kept: the second start signs with the same key.
    const before = fs.readFileSync(file, 'utf8');
    expect(run({}, {}, data).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses a secret file readable by group or others, saying how to fix it', () => {
    const data = path.join(tempDir(), 'data');
    expect(run({}, {}, data).status).toBe(0);
    const file = path.join(data, 'secret');
    fs.chmodSync(file, 0o644);
    expectRefused(run({}, {}, data), new RegExp(`^postdesk: config: ${file}: open to group or others \\(mode 644\\); run \`chmod 600 ${file}\`$`));
    fs.chmodSync(file, 0o640);
    expectRefused(run({}, {}, data), /open to group or others \(mode 640\)/);
    fs.chmodSync(file, 0o600);
    expect(run({}, {}, data).status).toBe(0);
  });

  it('refuses a short secret file, naming it', () => {
    const data = path.join(tempDir(), 'data');
    fs.mkdirSync(data, { mode: 0o700 }); // private, as Postdesk keeps it: no tightening warning first
    fs.writeFileSync(path.join(data, 'secret'), 'abcd\n', { mode: 0o600 });
    expectRefused(run({}, {}, data), new RegExp(`^postdesk: config: ${path.join(data, 'secret')}: too short \\(16 bits`));
  });

  it('never signs with an empty key: a token forged offline with one has no desk to resolve on', async () => {
    await expect(testApp({ secret: '' })).rejects.toThrow(/^config: secret: empty/);
  });
});
