import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { eraseFromPacks } from '../../src/store/pack-compaction.ts';
import { findRawMail } from '../../src/store/pack-lookup.ts';
import { PackStore, type PackLocation } from '../../src/store/pack-store.ts';
import { quarantineMail } from '../../src/store/quarantine.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { packsOf } from '../helpers/kept-contents.ts';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function app() {
  const a = await testApp();
  apps.push(a);
  return a;
}

async function hold(a: TestApp, raw: PackLocation): Promise<void> {
  await inTransaction(a, ({ db }) => quarantineMail(db, { raw, source: 'test', mailbox: 'support', reason: 'test', at: a.now() }));
}

/** A pid no process has now: a pack named after it was written by a process that has ended. */
function endedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

const [first, erased, last] = ['From: a@x.example\r\n\r\nfirst\r\n', 'From: secret@x.example\r\n\r\nerase me\r\n', 'From: c@x.example\r\n\r\nlast\r\n'].map((t) =>
  Buffer.from(t),
);

describe('erasing contents from packs', () => {
  it('rewrites a pack of an ended writer without them, moving the rows that point into it', async () => {
    const a = await app();
    const writer = new PackStore(packsOf(a).raw.dir, 'raw');
    const [one, two, three] = [first, erased, last].map((bytes) => writer.append(bytes));
    writer.close();
    const ended = one.pack.replace(`-${process.pid}-`, `-${endedPid()}-`);
    fs.renameSync(writer.pathOf(one.pack), writer.pathOf(ended));
    // A torn record at the end (a crash mid-append) is kept as it is: nothing points at it.
    fs.appendFileSync(writer.pathOf(ended), 'postdesk-raw 00');
    for (const location of [one, three]) await hold(a, { ...location, pack: ended });

    const outcome = await eraseFromPacks(a.transactions, packsOf(a).raw, 'raw', new Set([two.sha256]));

    expect(outcome).toEqual({ records: 1, rewritten: 1, zeroed: 0 });
    expect(fs.existsSync(writer.pathOf(ended))).toBe(false);
    const [pack] = fs.readdirSync(packsOf(a).raw.dir);
    const bytes = fs.readFileSync(packsOf(a).raw.pathOf(pack));
    expect(bytes.includes(erased)).toBe(false);
    expect(bytes.toString('latin1').endsWith('postdesk-raw 00')).toBe(true);
    expect(fs.statSync(packsOf(a).raw.pathOf(pack)).mode & 0o777).toBe(0o600);
    for (const [before, kept] of [[one, first], [three, last]] as const) {
      const location = (await findRawMail(a.db, before.sha256))!;
      expect(location.pack).toBe(pack);
      expect(packsOf(a).raw.read(location).equals(kept)).toBe(true);
    }
  });

  it('zeroes them in place in a running writer’s pack, which goes on appending, and never points new mail at them', async () => {
    const a = await app();
    const [one, two] = [first, erased].map((bytes) => packsOf(a).raw.append(bytes));
    await hold(a, one);
    const size = fs.statSync(packsOf(a).raw.pathOf(one.pack)).size;

    expect(await eraseFromPacks(a.transactions, packsOf(a).raw, 'raw', new Set([two.sha256]))).toEqual({ records: 1, rewritten: 0, zeroed: 1 });

    const pack = fs.readFileSync(packsOf(a).raw.pathOf(one.pack));
    expect(pack.length).toBe(size);
    expect(pack.includes(erased)).toBe(false);
    expect(pack.includes(two.sha256)).toBe(false);
    expect(packsOf(a).raw.read((await findRawMail(a.db, one.sha256))!).equals(first)).toBe(true);
    // The same bytes arriving again are appended anew, not pointed at the zeroed record.
    const again = packsOf(a).raw.append(erased);
    expect(again.offset).toBeGreaterThan(two.offset);
    expect(packsOf(a).raw.read(again).equals(erased)).toBe(true);
    expect(packsOf(a).raw.read(packsOf(a).raw.append(last)).equals(last)).toBe(true);
  });

  it('refuses to remove a content a row still points at, and keeps the pack whole', async () => {
    const a = await app();
    const writer = new PackStore(packsOf(a).raw.dir, 'raw');
    const kept = writer.append(first);
    writer.close();
    const ended = kept.pack.replace(`-${process.pid}-`, `-${endedPid()}-`);
    fs.renameSync(writer.pathOf(kept.pack), writer.pathOf(ended));
    await hold(a, { ...kept, pack: ended });

    await expect(eraseFromPacks(a.transactions, packsOf(a).raw, 'raw', new Set([kept.sha256]))).rejects.toThrow(/still point at erased records/);
    expect(fs.readdirSync(packsOf(a).raw.dir)).toEqual([ended]);
    expect(packsOf(a).raw.read((await findRawMail(a.db, kept.sha256))!).equals(first)).toBe(true);
  });
});
