/**
 * One throwaway PostgreSQL for every central test of a run; each test file makes its own
 * database on it (test-central.ts), so files run in parallel without seeing each other's rows.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    centralPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = mkdtempSync(join(tmpdir(), 'touchline-central-pg-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to reach its data folder.
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'pg'), password: 'touchline-test', persistent: false });
  project.provide('centralPostgresUrl', server.url());
  return async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  };
}
