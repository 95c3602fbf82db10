// The race a backup must survive: `customers forget` rewrites a pack (rows moved to a new pack, the
// old one deleted) between the database snapshot and the copy of the packs. The snapshot then points
// into a pack the copy lacks, and the check must say so (the backup takes its copy again).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDatabase, unmatchedContents } from '../../src/backup/snapshot.ts';
import { buildMail } from '../helpers/mail.ts';
import { postdesk } from '../helpers/cli.ts';
import { tempDir } from '../helpers/test-app.ts';

function copyPacks(data: string): { raw: string; attachment: string } {
  const to = tempDir();
  fs.cpSync(path.join(data, 'raw'), path.join(to, 'raw'), { recursive: true });
  fs.cpSync(path.join(data, 'attachments'), path.join(to, 'attachments'), { recursive: true });
  return { raw: path.join(to, 'raw'), attachment: path.join(to, 'attachments') };
}

describe('backup snapshot and pack check', () => {
  it('finds the records a snapshot points at that an erasure moved out of the copied packs, and none in a fresh snapshot', { timeout: 120_000 }, () => {
    const data = tempDir();
    const attachments = (name: string) => [{ filename: `${name}.txt`, content: Buffer.from(`notes of ${name}`) }];
    for (const who of ['ann', 'bob']) {
      const mail = buildMail({ from: `${who}@customer.example`, messageId: `${who}@c`, attachments: attachments(who) });
      expect(postdesk(['ingest', '-', '--data', data], { input: mail }).status).toBe(0);
    }
    const before = path.join(tempDir(), 'before.sqlite');
    snapshotDatabase(path.join(data, 'postdesk.sqlite'), before);
    expect(fs.statSync(before).mode & 0o777).toBe(0o600);
    expect(unmatchedContents(before, copyPacks(data))).toEqual([]);

    // The ingesting process has exited, so forget rewrites its packs rather than zeroing them.
    const forget = postdesk(['customers', 'forget', 'ann@customer.example', '--confirm', '--by', 'test', '--data', data]);
    expect(forget.status).toBe(0);
    const unmatched = unmatchedContents(before, copyPacks(data));
    expect(unmatched).toEqual(expect.arrayContaining([expect.stringMatching(/^messages row points at raw .*\.pack:\d+, a pack not copied$/), expect.stringMatching(/^attachments row points at attachment .*, a pack not copied$/)]));

    const after = path.join(tempDir(), 'after.sqlite');
    snapshotDatabase(path.join(data, 'postdesk.sqlite'), after);
    const copies = copyPacks(data);
    expect(unmatchedContents(after, copies)).toEqual([]);

    // A record whose bytes changed in the copy (an erasure zeroing a live writer's pack in place).
    const pack = path.join(copies.raw, fs.readdirSync(copies.raw)[0]);
    const bytes = fs.readFileSync(pack);
    bytes[bytes.length - 2] ^= 1;
    fs.writeFileSync(pack, bytes);
    expect(unmatchedContents(after, copies)).toEqual([expect.stringMatching(/^messages row points at raw .*, whose copy does not match its sha256$/)]);
  });
});
