import { eq, sql } from 'drizzle-orm';
import { prepared } from './prepared.ts';
import type { Db } from './db.ts';
import type { agents } from './schema.ts';
import type { AgentConfig } from '../config/schema.ts';
import { execute, tablesOf } from './dialect.ts';

export type AgentRow = typeof agents.$inferSelect;

/** Configured agents are the source of truth; agents removed from the config are deactivated, not deleted. */
export async function syncAgents(db: Db, configured: Pick<AgentConfig, 'name' | 'email'>[]): Promise<void> {
  const { agents } = tablesOf(db);
  await execute(db.update(agents).set({ active: false }));
  for (const a of configured) {
    await execute(db.insert(agents)
      .values({ email: a.email, name: a.name, active: true })
      .onConflictDoUpdate({ target: agents.email, set: { name: a.name, active: true } }));
  }
}

export async function findAgentByEmail(db: Db, email: string): Promise<AgentRow | undefined> {
  const { agents } = tablesOf(db);
  return prepared(db, 'agentByEmail', () => db.select().from(agents).where(eq(agents.email, sql.placeholder('email'))).prepare()).get({
    email: email.toLowerCase(),
  });
}

export async function findAgentById(db: Db, id: number): Promise<AgentRow | undefined> {
  const { agents } = tablesOf(db);
  return prepared(db, 'agentById', () => db.select().from(agents).where(eq(agents.id, sql.placeholder('id'))).prepare()).get({ id });
}

export async function listActiveAgents(db: Db): Promise<AgentRow[]> {
  const { agents } = tablesOf(db);
  return prepared(db, 'activeAgents', () => db.select().from(agents).where(eq(agents.active, true)).prepare()).all();
}
