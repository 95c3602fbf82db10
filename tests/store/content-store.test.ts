// The content stores' behaviour, written once and run against each implementation: the pack files of
// a data directory (through PackContentStore) and PostgreSQL (PgContentStore, on a real throwaway
// cluster). Then what only PostgreSQL has: rows, transactions, clients racing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContentRef, ContentStore } from '../../src/store/content-store.ts';
import { openDatabase } from '../../src/store/db.ts';
import { sqliteTransactions } from '../../src/store/transactions.ts';
import { PackContentStore } from '../../src/store/pack-content-store.ts';
import { listPackRecords, PackStore, type PackLocation } from '../../src/store/pack-store.ts';
import { PgContentStore } from '../../src/store/pg/content-store.ts';
import { migratePostgres } from '../../src/store/pg/migrate.ts';
import { postgresForSuite, postgresMissing, describeWithPostgres } from '../harness/postgres.ts';
import { describeIfAvailable } from '../helpers/requirements.ts';
import { tempDir } from '../helpers/test-app.ts';

/** One implementation, opened afresh for each test, with what a test needs to look underneath it. */
interface Opened {
  store: ContentStore;
  /** Changes one byte of the kept content, behind the store's back. */
  corrupt(ref: ContentRef): Promise<void>;
  /** How many copies of the content are kept. */
  copies(sha256: string): Promise<number>;
  close(): Promise<void>;
}

interface Subject {
  name: string;
  missing: () => string | null;
  /** Registers the suite's hooks; returns the opener for each test. */
  setup(): () => Promise<Opened>;
}

const packs: Subject = {
  name: 'pack files',
  missing: () => null,
  setup: () => async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'postdesk.db'));
    const packStore = new PackStore(path.join(dir, 'raw'), 'raw');
    const records = () => fs.readdirSync(packStore.dir).flatMap((p) => listPackRecords(packStore.dir, p, 'raw').records);
    return {
      store: new PackContentStore(packStore, 'raw', sqliteTransactions(db.write)),
      async corrupt(ref) {
        const at = ref as PackLocation;
        const fd = fs.openSync(packStore.pathOf(at.pack), 'r+');
        const byte = Buffer.alloc(1);
        fs.readSync(fd, byte, 0, 1, at.offset);
        fs.writeSync(fd, Buffer.of(byte[0] ^ 1), 0, 1, at.offset);
        fs.closeSync(fd);
      },
      copies: async (sha) => records().filter((r) => r.sha256 === sha).length,
      async close() {
        packStore.close();
        db.close();
      },
    };
  },
};

const postgres: Subject = {
  name: 'PostgreSQL',
  missing: postgresMissing,
  setup() {
    const cluster = postgresForSuite();
    return async () => {
      const pool = new pg.Pool({ connectionString: await cluster().createDatabase(), max: 8 });
      await migratePostgres(pool);
      return {
        store: new PgContentStore(pool, 'raw'),
        async corrupt(ref) {
          await pool.query(`UPDATE contents SET bytes = set_byte(bytes, 0, get_byte(bytes, 0) # 1) WHERE sha256 = $1`, [ref.sha256]);
        },
        copies: async (sha) => (await pool.query(`SELECT 1 FROM contents WHERE sha256 = $1`, [sha])).rowCount!,
        close: () => pool.end(),
      };
    };
  },
};

const mail = (text: string) => Buffer.from(`From: a@x.example\r\nSubject: ${text}\r\n\r\n${text}\r\n`);

describe.each([packs, postgres])('content store on $name', (subject) => {
  describeIfAvailable(`${subject.name}: the ContentStore behaviour`, subject.missing(), () => {
    const open = subject.setup();
    let kept: Opened;
    beforeEach(async () => {
      kept = await open();
    });
    afterEach(async () => {
      await kept.close();
    });

    it('gives back each content byte for byte, the empty one too, and names it by sha256 and size', async () => {
      const contents = [mail('first'), mail('second, longer'), Buffer.alloc(0), crypto.randomBytes(70_000)];
      const refs = [];
      for (const bytes of contents) refs.push(await kept.store.put(bytes));
      for (const [i, bytes] of contents.entries()) {
        expect(refs[i]).toMatchObject({ sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
        expect((await kept.store.get(refs[i])).equals(bytes)).toBe(true);
        expect(await kept.store.has(refs[i].sha256)).toBe(true);
      }
      expect(await kept.store.has('0'.repeat(64))).toBe(false);
    });

    it('keeps the same bytes once, however often and however many at once put them', async () => {
      const bytes = mail('delivered twice');
      const first = await kept.store.put(bytes);
      const again = await Promise.all(Array.from({ length: 8 }, () => kept.store.put(Buffer.from(bytes))));
      expect(await kept.copies(first.sha256)).toBe(1);
      for (const ref of again) expect((await kept.store.get(ref)).equals(bytes)).toBe(true);
    });

    it('refuses bytes changed behind its back, naming the sha256', async () => {
      const ref = await kept.store.put(mail('tampered with'));
      const other = await kept.store.put(mail('left alone'));
      await kept.corrupt(ref);
      await expect(kept.store.get(ref)).rejects.toThrow(`raw ${ref.sha256}: `);
      expect((await kept.store.get(other)).equals(mail('left alone'))).toBe(true);
    });

    it('erases contents for good, leaves the others, and keeps the same bytes again when put again', async () => {
      const [gone, stays] = [await kept.store.put(mail('erase me')), await kept.store.put(mail('keep me'))];
      expect(await kept.store.erase(new Set([gone.sha256]))).toBe(1);
      expect(await kept.store.has(gone.sha256)).toBe(false);
      await expect(kept.store.get(gone)).rejects.toThrow(`raw ${gone.sha256}: `);
      expect((await kept.store.get(stays)).equals(mail('keep me'))).toBe(true);
      const back = await kept.store.put(mail('erase me'));
      expect((await kept.store.get(back)).equals(mail('erase me'))).toBe(true);
    });

    it('round-trips a 25 MB mail (ingest.maxMessageBytes)', async () => {
      const big = Buffer.concat([mail('large attachment'), Buffer.from(crypto.randomBytes(19 * 1024 * 1024).toString('base64'))]);
      expect(big.length).toBeGreaterThan(25 * 1024 * 1024);
      const ref = await kept.store.put(big);
      expect((await kept.store.get(ref)).equals(big)).toBe(true);
    });
  });
});

describeWithPostgres('PostgreSQL content store: rows, transactions, racing clients', () => {
  const cluster = postgresForSuite();
  let pool: pg.Pool;
  let store: PgContentStore;
  beforeEach(async () => {
    pool = new pg.Pool({ connectionString: await cluster().createDatabase(), max: 8 });
    await migratePostgres(pool);
    store = new PgContentStore(pool, 'raw');
  });
  afterEach(async () => {
    await pool.end();
  });

  it('keeps the bytes out of line and uncompressed (STORAGE EXTERNAL), as the packs do', async () => {
    const { rows } = await pool.query(`SELECT attstorage FROM pg_attribute WHERE attrelid = 'contents'::regclass AND attname = 'bytes'`);
    expect(rows).toEqual([{ attstorage: 'e' }]);
  });

  it('takes the same bytes from 8 clients at once: every put succeeds, one row', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
    try {
      const bytes = Buffer.from(crypto.randomBytes(200_000).toString('base64'));
      const refs = await Promise.all(clients.map((client) => store.put(bytes, client)));
      expect(new Set(refs.map((r) => r.sha256)).size).toBe(1);
      const { rows } = await clients[0].query('SELECT kind, sha256, size, octet_length(bytes) AS stored FROM contents');
      expect(rows).toEqual([{ kind: 'raw', sha256: refs[0].sha256, size: bytes.length, stored: bytes.length }]);
    } finally {
      clients.forEach((c) => c.release());
    }
  });

  it('puts on a caller\'s client inside its transaction: kept if it commits, gone if it rolls back', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const rolledBack = await store.put(mail('rolled back'), client);
      expect((await store.get(rolledBack, client)).equals(mail('rolled back'))).toBe(true);
      expect(await store.has(rolledBack.sha256)).toBe(false); // not seen outside the transaction yet
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      const committed = await store.put(mail('committed'), client);
      await client.query('COMMIT');
      expect(await store.has(rolledBack.sha256)).toBe(false);
      expect((await store.get(committed)).equals(mail('committed'))).toBe(true);
    } finally {
      client.release();
    }
  });

  it('keeps a raw mail and an attachment of the same bytes apart: erasing one leaves the other', async () => {
    const attachments = new PgContentStore(pool, 'attachment');
    const bytes = mail('forwarded as an attachment, byte for byte');
    const [raw, attached] = [await store.put(bytes), await attachments.put(bytes)];
    expect(await store.erase(new Set([raw.sha256]))).toBe(1);
    await expect(store.get(raw)).rejects.toThrow(`raw ${raw.sha256}: not kept`);
    expect((await attachments.get(attached)).equals(bytes)).toBe(true);
  });
});
