import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PackStore } from '../../src/store/pack-store.ts';
import { tempDir } from '../helpers/test-app.ts';

describe('pack store', () => {
  it('appends mails to one pack of its own and reads each back', () => {
    const store = new PackStore(path.join(tempDir(), 'raw'), 'raw');
    const first = Buffer.from('From: a@b.example\r\n\r\nfirst\r\n');
    const second = Buffer.from('From: c@d.example\r\n\r\nsecond, longer\r\n');
    const a = store.append(first);
    const b = store.append(second);
    expect(b.pack).toBe(a.pack);
    expect(b.offset).toBeGreaterThan(a.offset + a.size);
    expect(store.read(a).equals(first)).toBe(true);
    expect(store.read(b).equals(second)).toBe(true);
    store.close();
    // Readable without the database: each record says what it holds.
    const text = fs.readFileSync(store.pathOf(a.pack), 'latin1');
    expect(text.startsWith(`postdesk-raw ${a.sha256} ${first.length}\n`)).toBe(true);
  });

  it('starts a new pack in a new store, never appending to another writer\'s', () => {
    const dir = path.join(tempDir(), 'raw');
    const one = new PackStore(dir, 'raw').append(Buffer.from('x'));
    const two = new PackStore(dir, 'raw').append(Buffer.from('x'));
    expect(two.pack).not.toBe(one.pack);
    expect(fs.readdirSync(dir).sort()).toEqual([one.pack, two.pack].sort());
  });

  it('begins a new pack once the current one has grown past its limit', () => {
    const store = new PackStore(path.join(tempDir(), 'raw'), 'raw', 100);
    const first = store.append(Buffer.alloc(150, 'a'));
    const second = store.append(Buffer.alloc(10, 'b'));
    const third = store.append(Buffer.alloc(10, 'c'));
    expect(second.pack).not.toBe(first.pack);
    expect(third.pack).toBe(second.pack);
    expect(store.read(first).equals(Buffer.alloc(150, 'a'))).toBe(true);
    expect(store.read(third).equals(Buffer.alloc(10, 'c'))).toBe(true);
  });

  it('refuses bytes that are not the stored mail, and pack names that leave the folder', () => {
    const store = new PackStore(path.join(tempDir(), 'raw'), 'raw');
    const at = store.append(Buffer.from('original mail'));
    store.close();
    const file = store.pathOf(at.pack);
    const bytes = fs.readFileSync(file);
    bytes[at.offset] ^= 1;
    fs.writeFileSync(file, bytes);
    expect(() => store.read(at)).toThrow(/does not match its sha256/);
    expect(() => store.read({ ...at, pack: '../secret.pack' })).toThrow(/not a raw pack name/);
    expect(() => store.read({ ...at, size: at.size + 100 })).toThrow(/ends before offset/);
  });

  it('keeps the same bytes once: appending them again points at the copy it has', () => {
    const dir = path.join(tempDir(), 'attachments');
    const store = new PackStore(dir, 'attachment');
    const logo = Buffer.from('GIF89a logo');
    const first = store.append(logo);
    const other = store.append(Buffer.from('%PDF-1.4'));
    expect(store.append(logo)).toEqual(first);
    store.close();
    const pack = fs.readFileSync(store.pathOf(first.pack), 'latin1');
    expect(pack.split(`postdesk-attachment ${first.sha256} `)).toHaveLength(2);
    expect(store.read(other).toString()).toBe('%PDF-1.4');
  });
});
