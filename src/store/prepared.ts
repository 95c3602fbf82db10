// Queries on the ingest hot path are built once per database and reused with placeholders:
// building a drizzle query costs more than SQLite takes to run it.
import type { Db } from './db.ts';

const perDatabase = new WeakMap<Db, Map<string, unknown>>();

export function prepared<T>(db: Db, key: string, build: () => T): T {
  let cache = perDatabase.get(db);
  if (!cache) perDatabase.set(db, (cache = new Map()));
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build();
    cache.set(key, query);
  }
  return query;
}
