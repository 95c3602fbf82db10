import { eq, sql } from 'drizzle-orm';
import { prepared } from './prepared.ts';
import type { Db } from './db.ts';
import { agents } from './schema.ts';
import type { AgentConfig } from '../config/schema.ts';

export type AgentRow = typeof agents.$inferSelect;

/** Configured agents are the source of truth; agents removed from the config are deactivated, not deleted. */
export function syncAgents(db: Db, configured: Pick<AgentConfig, 'name' | 'email'>[]): void {
  db.update(agents).set({ active: false }).run();
  for (const a of configured) {
    db.insert(agents)
      .values({ email: a.email, name: a.name, active: true })
      .onConflictDoUpdate({ target: agents.email, set: { name: a.name, active: true } })
      .run();
  }
}

export function findAgentByEmail(db: Db, email: string): AgentRow | undefined {
  return prepared(db, 'agentByEmail', () => db.select().from(agents).where(eq(agents.email, sql.placeholder('email'))).prepare()).get({
    email: email.toLowerCase(),
  });
}

export function findAgentById(db: Db, id: number): AgentRow | undefined {
  return prepared(db, 'agentById', () => db.select().from(agents).where(eq(agents.id, sql.placeholder('id'))).prepare()).get({ id });
}

export function listActiveAgents(db: Db): AgentRow[] {
  return prepared(db, 'activeAgents', () => db.select().from(agents).where(eq(agents.active, true)).prepare()).all();
}
