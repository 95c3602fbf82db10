// A quarantine reason may quote the mail (a failed query's parameters): a NUL in it must not make the
// quarantine insert fail too, on PostgreSQL, whose text cannot hold U+0000. Runs on both databases.
import { afterEach, expect, it } from 'vitest';
import { inTransaction } from '../../src/app.ts';
import { listQuarantine, quarantineMail } from '../../src/store/quarantine.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

it('keeps a reason quoting a NUL, without the NUL, also when the held mail fails again', async () => {
  const app = await testApp();
  apps.push(app);
  const raw = await app.raw.put(Buffer.from('Subject: a\0b\r\n\r\nbody\r\n'));
  const hold = (reason: string) => inTransaction(app, ({ db }) => quarantineMail(db, { raw, source: 'test', mailbox: 'support', reason, at: app.now() }));

  await hold('store-message failed: params: a\0b,\tc\x01d');
  expect((await listQuarantine(app.db)).map((q) => q.reason)).toEqual(['store-message failed: params: ab,\tc\x01d']);
  await hold('thread failed: \0again\0');
  expect((await listQuarantine(app.db)).map((q) => q.reason)).toEqual(['thread failed: again']);
});
