// The IMAP intake's pure parts: reconnect delays, fetch batching, state logging, TLS options.
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { imapSchema } from '../../src/config/schema.ts';
import { Backoff } from '../../src/intake/imap/backoff.ts';
import { ConnectionState } from '../../src/intake/imap/connection-state.ts';
import { clientOptions } from '../../src/intake/imap/connection.ts';
import { batchesOf } from '../../src/intake/imap/fetch-range.ts';
import { unkeptKeywordWarning } from '../../src/intake/imap/processed-flags.ts';
import { recordingLogger } from './support.ts';
import { tempDir } from '../helpers/test-app.ts';

describe('Backoff', () => {
  it('doubles from the base up to the cap, jittered between half and all of it, and starts over after reset', () => {
    const low = new Backoff({ baseMs: 1000, capMs: 8000, random: () => 0 });
    expect(Array.from({ length: 6 }, () => low.next())).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    const high = new Backoff({ baseMs: 1000, capMs: 8000, random: () => 1 });
    expect(Array.from({ length: 5 }, () => high.next())).toEqual([1000, 2000, 4000, 8000, 8000]);
    high.reset();
    expect(high.next()).toBe(1000);
  });
});

describe('batchesOf', () => {
  const mails = (sizes: number[]) => sizes.map((size, i) => ({ uid: i + 1, size }));
  it('bounds each batch by count and by bytes, keeping UID order', () => {
    expect(batchesOf(mails([1, 1, 1, 1, 1]), 2, 100).map((b) => b.map((m) => m.uid))).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchesOf(mails([40, 40, 40, 10]), 10, 100).map((b) => b.map((m) => m.uid))).toEqual([[1, 2], [3, 4]]);
  });
  it('gives a mail bigger than the byte bound a batch of its own', () => {
    expect(batchesOf(mails([10, 500, 10]), 10, 100).map((b) => b.map((m) => m.uid))).toEqual([[1], [2], [3]]);
  });
});

describe('unkeptKeywordWarning', () => {
  it('is silent where the server keeps any keyword or $Postdesk, or names no permanent flags', () => {
    expect(unkeptKeywordWarning('support', 'INBOX', new Set(['\\Seen', '\\*']))).toBeNull();
    expect(unkeptKeywordWarning('support', 'INBOX', new Set(['\\Seen', '$Postdesk']))).toBeNull();
    expect(unkeptKeywordWarning('support', 'INBOX', undefined)).toBeNull();
  });
  it('says what goes wrong and what to do where the server would drop $Postdesk', () => {
    expect(unkeptKeywordWarning('support', 'INBOX', new Set(['\\Seen', '\\Deleted']))).toBe(
      'mailbox support: the server keeps no $Postdesk keyword in INBOX (PERMANENTFLAGS \\Seen \\Deleted); processed mail gets only \\Seen, and imap backfill cannot tell it from new mail (it stores it again as duplicates). Set afterStore to "move", or allow keywords on the server',
    );
  });
});

describe('ConnectionState', () => {
  it('logs a state once, not once per retry', () => {
    const log = recordingLogger();
    const state = new ConnectionState(log, 'support');
    state.connected('watching INBOX');
    for (let i = 0; i < 5; i++) state.disconnected(new Error('connect ECONNREFUSED'));
    state.connected('watching INBOX');
    expect(log.lines).toEqual([
      'info: mailbox support: connected, watching INBOX',
      'warn: mailbox support: IMAP connection failed (connect ECONNREFUSED); reconnecting with backoff',
      'info: mailbox support: connected again after 5 failed attempt(s), watching INBOX',
    ]);
  });
});

describe('clientOptions', () => {
  const imap = (o: Record<string, unknown>) => imapSchema.parse({ host: 'mail.example.com', user: 'u', password: 'p', ...o });
  it('maps the TLS modes: implicit on 993, required STARTTLS on 143, plain only on loopback', () => {
    expect(clientOptions('m', imap({}))).toMatchObject({ secure: true, port: 993 });
    expect(clientOptions('m', imap({ tls: 'starttls' }))).toMatchObject({ secure: false, doSTARTTLS: true, port: 143 });
    expect(clientOptions('m', imap({ tls: 'none', host: '127.0.0.1' }))).toMatchObject({ secure: false, doSTARTTLS: false });
    // Refused when the configuration loads, before any connection.
    expect(() => imap({ tls: 'none' })).toThrow(/"tls"[^]*only allowed for a loopback host, not mail\.example\.com/);
  });
  it('passes the TLS trust settings on: a CA file beside the bundled ones, no check on loopback only', () => {
    expect(clientOptions('m', imap({})).tls).toEqual({ rejectUnauthorized: true });
    const ca = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const withCa = clientOptions('m', imap({ ca })).tls as { ca: string[] };
    expect(withCa.ca).toEqual([...tls.rootCertificates, fs.readFileSync(ca, 'utf8')]);
    expect(clientOptions('m', imap({ host: '127.0.0.1', rejectUnauthorized: false })).tls).toEqual({ rejectUnauthorized: false });
    expect(() => imap({ rejectUnauthorized: false })).toThrow(/"rejectUnauthorized"[^]*only allowed for a loopback host, not mail\.example\.com/);
  });
  it('resolves a password from the environment, and names the key when the variable is missing', () => {
    process.env.POSTDESK_TEST_IMAP_PW = 'from-env';
    expect(clientOptions('m', imap({ password: { env: 'POSTDESK_TEST_IMAP_PW' } })).auth).toEqual({ user: 'u', pass: 'from-env' });
    delete process.env.POSTDESK_TEST_IMAP_PW;
    expect(() => clientOptions('m', imap({ password: { env: 'POSTDESK_TEST_IMAP_PW' } }))).toThrow(/mailboxes\.m\.imap\.password: environment variable POSTDESK_TEST_IMAP_PW is not set/);
  });
});
