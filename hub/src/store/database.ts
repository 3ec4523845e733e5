/**
 * Opens the hub's one SQLite file in WAL mode and brings its schema up to date. WAL with
 * synchronous=NORMAL keeps every committed transaction across a process crash (kill -9) and needs
 * one fsync per checkpoint instead of one per commit, which spares the SD card.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { TouchlineError } from '@touchline/core/metrics';
import { nodeSqliteDialect } from './sqlite-dialect.ts';
import type { HubDatabase } from './tables.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-uplink.ts';
import * as m0003 from './migrations/0003-block-seq-index.ts';

/** How long a statement waits for another connection's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/** Numbered, append-only; a test checks the names stay in order. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-uplink': m0002,
  '0003-block-seq-index': m0003,
};

export interface OpenedStore {
  db: Kysely<HubDatabase>;
  /** The raw handle, for the few hot-path statements prepared once (see sample-store.ts). */
  sqlite: DatabaseSync;
  path: string;
}

export async function openDatabase(path: string): Promise<OpenedStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new DatabaseSync(path);
  sqlite.exec('PRAGMA journal_mode = WAL');
  sqlite.exec('PRAGMA synchronous = NORMAL');
  sqlite.exec('PRAGMA foreign_keys = ON');
  sqlite.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const db = new Kysely<HubDatabase>({ dialect: nodeSqliteDialect(sqlite) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw new TouchlineError('TL_ERR_CONFIG_INVALID', `Cannot migrate the hub database at ${path}: ${(error as Error).message}`, { path });
  }
  return { db, sqlite, path };
}
