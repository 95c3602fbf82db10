// Settle folders on servers that name and report them differently: looked up before CREATE, an
// "already exists" in any wording taken as success, and paths built from the server's NAMESPACE
// prefix and delimiter (Cyrus and Courier: `INBOX.` with `.`). Against the real servers, folders made
// beforehand by hand are a case of the intake suite (tests/imap/intake.test.ts).
import type { ListResponse } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { imapSchema } from '../../src/config/schema.ts';
import { ensureFolders, ensureSettleFolders, serverPath } from '../../src/intake/imap/folders.ts';

/** A server like Cyrus: personal folders under `INBOX.`, `.` between levels, no [ALREADYEXISTS]. */
function cyrusLike(existing: string[], opts: { createsMeanwhile?: boolean } = {}) {
  const folders = new Set(['INBOX', ...existing]);
  const created: string[] = [];
  const listing = (): ListResponse[] => [...folders].map((p) => ({ path: p, delimiter: '.', flags: new Set<string>() }) as ListResponse);
  return {
    created,
    namespace: { prefix: 'INBOX.', delimiter: '.' },
    list: async () => listing(),
    mailboxCreate: async (p: string | string[]) => {
      const name = String(p);
      if (folders.has(name)) throw Object.assign(new Error('Command failed'), { responseText: 'Mailbox already exists' });
      if (opts.createsMeanwhile) {
        folders.add(name); // another session was faster: this CREATE is refused, the folder is there
        throw Object.assign(new Error('Command failed'), { responseText: 'Mailbox already exists' });
      }
      folders.add(name);
      created.push(name);
      return { path: name, created: true };
    },
  };
}

const imap = (o: Record<string, unknown> = {}) => imapSchema.parse({ host: '127.0.0.1', tls: 'none', user: 'u', password: 'p', ...o });

describe('settle folders', () => {
  it('builds paths with the NAMESPACE prefix and the delimiter LIST reports', () => {
    const client = cyrusLike([]);
    const listed = [{ path: 'INBOX', delimiter: '.', flags: new Set() }] as ListResponse[];
    expect(serverPath(client, listed, 'Postdesk/Processed')).toBe('INBOX.Postdesk.Processed');
    expect(serverPath(client, listed, 'INBOX/Support')).toBe('INBOX.Support');
    expect(serverPath(client, listed, 'inbox')).toBe('INBOX');
    expect(serverPath({ ...client, namespace: { prefix: '', delimiter: '/' } }, [], 'Postdesk/Failed')).toBe('Postdesk/Failed');
  });

  it('creates a missing folder under the prefix, and leaves a listed one alone', async () => {
    const client = cyrusLike(['INBOX.Postdesk.Failed']);
    expect(await ensureSettleFolders(client as never, imap())).toEqual({ failed: 'INBOX.Postdesk.Failed', processed: 'INBOX.Postdesk.Processed' });
    expect(client.created).toEqual(['INBOX.Postdesk.Processed']);
  });

  it('takes a CREATE refused with "Mailbox already exists" (no [ALREADYEXISTS]) as success when LIST then shows the folder', async () => {
    const client = cyrusLike([], { createsMeanwhile: true });
    expect(await ensureSettleFolders(client as never, imap())).toEqual({ failed: 'INBOX.Postdesk.Failed', processed: 'INBOX.Postdesk.Processed' });
  });

  it('fails naming the folder and the server\'s words when the folder is still missing after a refused CREATE', async () => {
    const client = { ...cyrusLike([]), mailboxCreate: async () => Promise.reject(Object.assign(new Error('Command failed'), { responseText: 'Permission denied' })) };
    await expect(ensureFolders(client, ['Postdesk/Processed'])).rejects.toThrow('cannot create folder Postdesk/Processed (INBOX.Postdesk.Processed): Permission denied');
  });
});
