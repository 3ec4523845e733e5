/**
 * Opens central's PostgreSQL pool and brings the schema up to date. Kysely runs every query; the
 * raw pool is exposed for the one job Kysely cannot do, bulk COPY (see sample.repository.ts).
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { TouchlineError } from '@touchline/core';
import type { CentralDatabase } from './tables.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-analytics.ts';
import * as m0003 from './migrations/0003-identities.ts';
import * as m0004 from './migrations/0004-analytics-quiet-period.ts';
import * as m0005 from './migrations/0005-erased-athletes.ts';

/** Numbered, append-only; central/test/migrations.test.ts checks the names match the files, in order. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-analytics': m0002,
  '0003-identities': m0003,
  '0004-analytics-quiet-period': m0004,
  '0005-erased-athletes': m0005,
};

export interface OpenedDatabase {
  db: Kysely<CentralDatabase>;
  pool: pg.Pool;
  close(): Promise<void>;
}

const INT8_OID = 20;

// Counts and sequences are int8 in PostgreSQL; ours stay far below 2^53, so plain numbers are exact.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Errors that mean "the database is gone for now", as opposed to a bug or bad data. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
  const message = (err as Error).message ?? '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

export async function openDatabase(url: string, options: { onError?: (err: Error) => void } = {}): Promise<OpenedDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types, connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (err) => options.onError?.(err));
  // A checked-out client whose server goes away emits 'error' as well as failing its query, and the
  // pool listens only to idle clients: without this, the emit would crash the process. The failed
  // query already carries the error to whoever ran it.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<CentralDatabase>({ dialect: new PostgresDialect({ pool }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw new TouchlineError('TL_ERR_CONFIG_INVALID', `Cannot migrate the central database: ${(error as Error).message}`);
  }
  let closed = false;
  return {
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
