// What a failed command prints: one line. A failed database query says what the database said and
// which statement, never the statement's parameters: those are customers' addresses and text, and
// one INSERT of db copy carried hundreds of them into the terminal and any log behind it.
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/cli/errors.ts';

describe('oneLine', () => {
  it('names a system error code the message lacks, and joins lines', () => {
    expect(oneLine(Object.assign(new Error('cannot write\nthe file'), { code: 'ENOSPC' }))).toBe('ENOSPC: cannot write the file');
  });

  it('gives a failed query as the database said it and the statement cut short, without its parameters', () => {
    const insert = `insert into "messages" ("id", "ticket_id", "from_address", "text") values ${Array.from({ length: 200 }, (_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`).join(', ')}`;
    const err = new DrizzleQueryError(insert, [1, 1000, 'alice@customer.example', 'my card number is 4111'], new Error('duplicate key value violates unique constraint "messages_pkey"'));
    const line = oneLine(err);
    expect(line).toBe(`database: duplicate key value violates unique constraint "messages_pkey" (in: ${insert.slice(0, 80)}…)`);
    expect(line).not.toMatch(/alice|4111/);
    const wrapped = new Error(`db copy: postgres://127.0.0.1:5432/postdesk: ${err.message}`, { cause: err });
    expect(oneLine(wrapped)).toBe(`db copy: postgres://127.0.0.1:5432/postdesk: ${line}`);
  });
});
