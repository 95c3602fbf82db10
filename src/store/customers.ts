import { eq, sql } from 'drizzle-orm';
import { insertRow, prepared, updateRow } from './prepared.ts';
import type { Db } from './db.ts';
import type { customers } from './schema.ts';
import { tablesOf } from './dialect.ts';

export type CustomerRow = typeof customers.$inferSelect;

/** One customer per normalized address; a later mail fills in a missing display name. */
export async function upsertCustomer(db: Db, email: string, name: string, at: Date): Promise<CustomerRow> {
  const { customers } = tablesOf(db);
  const normalized = email.trim().toLowerCase();
  const existing = await findCustomer(db, normalized);
  if (existing) {
    if (!existing.name && name) {
      await updateRow(db, customers, customers.id, existing.id, { name });
      return { ...existing, name };
    }
    return existing;
  }
  return insertRow(db, customers, { email: normalized, name: name || null, createdAt: at });
}

export async function findCustomer(db: Db, email: string): Promise<CustomerRow | undefined> {
  const { customers } = tablesOf(db);
  return prepared(db, 'customerByEmail', () => db.select().from(customers).where(eq(customers.email, sql.placeholder('email'))).prepare()).get({
    email: email.trim().toLowerCase(),
  });
}

export async function findCustomerById(db: Db, id: number): Promise<CustomerRow | undefined> {
  const { customers } = tablesOf(db);
  return prepared(db, 'customerById', () => db.select().from(customers).where(eq(customers.id, sql.placeholder('id'))).prepare()).get({ id });
}

export async function updateCustomer(db: Db, id: number, change: Partial<Pick<CustomerRow, 'vip' | 'language' | 'stage' | 'stageSetBy' | 'name'>>): Promise<void> {
  const { customers } = tablesOf(db);
  await updateRow(db, customers, customers.id, id, change);
}
