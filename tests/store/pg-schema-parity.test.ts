// The PostgreSQL schema mirrors the SQLite one: the store's queries take their tables from either
// module, so every table, column property, SQL name, constraint and index must be the same, and
// every column must give the same JS value type. No server is needed: drizzle describes both.
import { getTableColumns, is, type SQL } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteSyncDialect, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../../src/store/pg/schema.ts';
import * as sqliteSchema from '../../src/store/schema.ts';

/** The pg-core column types that give the JS value a SQLite column type gives. */
const SAME_JS_VALUE: Record<string, string[]> = {
  SQLiteInteger: ['PgInteger', 'PgBigInt53'],
  SQLiteTimestamp: ['PgTimestamp'],
  SQLiteBoolean: ['PgBoolean'],
  SQLiteText: ['PgText'],
  SQLiteTextJson: ['PgJsonb'],
  SQLiteReal: ['PgDoublePrecision'],
};

const sqliteTables = Object.entries(sqliteSchema as Record<string, unknown>).filter((entry): entry is [string, SQLiteTable] => is(entry[1], SQLiteTable));
const pgTables = Object.entries(pgSchema as Record<string, unknown>).filter((entry): entry is [string, PgTable] => is(entry[1], PgTable));
/** Tables PostgreSQL alone has: the contents SQLite keeps in the data directory's packs. */
const POSTGRES_ONLY = ['contents'];

interface Described {
  name: string;
  columns: Record<string, { sqlName: string; notNull: boolean; primary: boolean; unique: boolean; hasDefault: boolean }>;
  indexes: { name: string; columns: string[]; unique: boolean; where: string | null }[];
  foreignKeys: { columns: string[]; table: string; foreignColumns: string[] }[];
}

function columnsOf(table: SQLiteTable | PgTable): Described['columns'] {
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([property, c]) => [
      property,
      { sqlName: c.name, notNull: c.notNull, primary: c.primary, unique: c.isUnique, hasDefault: c.hasDefault },
    ]),
  );
}

function whereText(where: SQL | undefined, dialect: SQLiteSyncDialect | PgDialect): string | null {
  return where ? dialect.sqlToQuery(where).sql : null;
}

function describeSqlite(table: SQLiteTable): Described {
  const config = sqliteConfig(table);
  const dialect = new SQLiteSyncDialect();
  return {
    name: config.name,
    columns: columnsOf(table),
    indexes: config.indexes.map(({ config: i }) => ({
      name: i.name,
      columns: i.columns.map((c) => ('name' in c ? c.name : String(c))),
      unique: i.unique,
      where: whereText(i.where, dialect),
    })),
    foreignKeys: config.foreignKeys.map((fk) => {
      const r = fk.reference();
      return { columns: r.columns.map((c) => c.name), table: sqliteConfig(r.foreignTable).name, foreignColumns: r.foreignColumns.map((c) => c.name) };
    }),
  };
}

function describePg(table: PgTable): Described {
  const config = pgConfig(table);
  const dialect = new PgDialect();
  return {
    name: config.name,
    columns: columnsOf(table),
    indexes: config.indexes.map(({ config: i }) => ({
      name: i.name!,
      columns: i.columns.map((c) => ('name' in c ? c.name! : String(c))),
      unique: i.unique,
      where: whereText(i.where, dialect),
    })),
    foreignKeys: config.foreignKeys.map((fk) => {
      const r = fk.reference();
      return { columns: r.columns.map((c) => c.name), table: pgConfig(r.foreignTable).name, foreignColumns: r.foreignColumns.map((c) => c.name) };
    }),
  };
}

describe('the PostgreSQL schema mirrors the SQLite schema', () => {
  it('exports the same tables under the same names', () => {
    expect(sqliteTables.length).toBeGreaterThan(10);
    expect(pgTables.map(([name]) => name).sort()).toEqual([...sqliteTables.map(([name]) => name), ...POSTGRES_ONLY].sort());
  });

  describe.each(sqliteTables)('%s', (exportName, sqliteTable) => {
    const pgTable = pgTables.find(([name]) => name === exportName)?.[1];

    it('has the same SQL name, columns (property, SQL name, not null, primary key, unique, default), indexes and foreign keys', () => {
      expect(pgTable, `src/store/pg/schema.ts exports no table ${exportName}`).toBeDefined();
      const expected = describeSqlite(sqliteTable);
      const actual = describePg(pgTable!);
      expect(actual.name).toBe(expected.name);
      expect(actual.columns).toEqual(expected.columns);
      expect(sortByName(actual.indexes)).toEqual(sortByName(expected.indexes));
      expect(sortByColumns(actual.foreignKeys)).toEqual(sortByColumns(expected.foreignKeys));
    });

    it('gives every column the same JS value type', () => {
      const pgColumns = getTableColumns(pgTable!);
      for (const [property, column] of Object.entries(getTableColumns(sqliteTable))) {
        const allowed = SAME_JS_VALUE[column.columnType];
        expect(allowed, `no PostgreSQL counterpart known for ${column.columnType} (${exportName}.${property})`).toBeDefined();
        expect(allowed, `${exportName}.${property}`).toContain(pgColumns[property].columnType);
        expect(pgColumns[property].enumValues, `${exportName}.${property}`).toEqual(column.enumValues);
      }
    });
  });
});

function sortByName<T extends { name: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name));
}

function sortByColumns<T extends { columns: string[] }>(list: T[]): T[] {
  return [...list].sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
}
