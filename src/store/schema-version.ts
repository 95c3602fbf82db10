// Whether a database's schema is one this Postdesk knows. Migrations only add; a database a newer
// Postdesk migrated (an upgrade rolled back, its backup restored here) has tables and columns this
// code does not write, so it is refused before anything reads or writes it.
import type { MigrationMeta } from 'drizzle-orm/migrator';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Why this Postdesk must not use a database whose newest applied migration is of lastAppliedMs, or null. */
export function newerSchemaProblem(lastAppliedMs: number | null, known: MigrationMeta[]): string | null {
  const knownMs = Math.max(...known.map((m) => m.folderMillis));
  if (lastAppliedMs === null || lastAppliedMs <= knownMs) return null;
  return `migrated by a newer Postdesk (its schema is of ${day(lastAppliedMs)}, this Postdesk knows it up to ${day(knownMs)}); run that newer version, or restore a backup made by this one`;
}
