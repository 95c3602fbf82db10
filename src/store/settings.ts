import { eq, sql } from 'drizzle-orm';
import { prepared } from './prepared.ts';
import type { Db } from './db.ts';
import { tablesOf } from './dialect.ts';

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const { settings } = tablesOf(db);
  return (await prepared(db, 'getSetting', () => db.select().from(settings).where(eq(settings.key, sql.placeholder('key'))).prepare()).get({ key }))?.value;
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  const { settings } = tablesOf(db);
  await prepared(db, 'setSetting', () =>
    db
      .insert(settings)
      .values({ key: sql.placeholder('key'), value: sql.placeholder('value') })
      .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value` } })
      .prepare(),
  ).run({ key, value });
}
