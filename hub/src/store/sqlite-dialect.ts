/**
 * Kysely on Node's built-in `node:sqlite`: no native addon to compile for the pinned runtime.
 * Kysely's own SqliteDialect drives any synchronous driver that offers prepare/all/run/iterate,
 * so this adapter only maps node:sqlite's spread parameters onto that shape.
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase } from 'kysely';

function toSqliteValues(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)) as SQLInputValue[];
}

export function nodeSqliteDialect(database: DatabaseSync): SqliteDialect {
  const adapted: SqliteDatabase = {
    close: () => database.close(),
    prepare(sql) {
      const statement = database.prepare(sql);
      return {
        reader: statement.columns().length > 0,
        all: (parameters) => statement.all(...toSqliteValues(parameters)),
        run: (parameters) => {
          const result = statement.run(...toSqliteValues(parameters));
          return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
        },
        iterate: (parameters) => statement.iterate(...toSqliteValues(parameters)) as IterableIterator<unknown>,
      };
    },
  };
  return new SqliteDialect({ database: adapted });
}
