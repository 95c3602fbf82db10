// The advisory lock keys of Postdesk's, in one place: fixed numbers that no other lock may reuse.
// Session and transaction advisory locks share one key space.

/** Held for the session while migrations are applied (migrate.ts): processes starting together take turns. */
export const MIGRATION_LOCK = 7_380_166_202_001;

/** Held by every write transaction until it ends (database.ts): writers of all workers take turns. */
export const WRITER_LOCK = 7_380_166_202_002;
