/**
 * The central process: loads and validates the configuration, uses DATABASE_URL or starts an
 * embedded PostgreSQL in <dataDir>/central-pg, builds the app, listens, and shuts down cleanly on
 * SIGINT/SIGTERM. `--bootstrap-admin <email>` (or TOUCHLINE_CENTRAL_ADMIN_EMAIL) creates the first
 * admin with a random password printed once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isTouchlineError, TouchlineError } from '@touchline/core';
import { loadConfig } from './config/load-config.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres.ts';
import { buildApp } from './app.ts';

/** A secret kept in a file of its own (mode 0600), created with `bytes` random bytes on first use. */
function secretFile(path: string, bytes: number, what: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(bytes).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  console.log(`touchline central: created ${what} in ${path}`);
  return secret;
}

async function embeddedDatabase(dataDir: string): Promise<{ url: string; server: EmbeddedServer }> {
  const dir = resolve(dataDir, 'central-pg');
  const password = secretFile(resolve(dataDir, 'central-pg.password'), 18, 'the embedded PostgreSQL password');
  const server = await startEmbeddedPostgres({ dataDir: dir, password, persistent: true });
  try {
    await server.createDatabase('touchline');
  } catch (err) {
    // 42P04: the database exists from an earlier start.
    if ((err as { code?: string }).code !== '42P04') throw err;
  }
  console.log(`touchline central: no DATABASE_URL, so PostgreSQL runs embedded from ${dir} on 127.0.0.1:${server.port}`);
  return { url: server.url('touchline'), server };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'bootstrap-admin': { type: 'string' } }, strict: true });
  const config = loadConfig({ overrides: values['bootstrap-admin'] ? { adminEmail: values['bootstrap-admin'] } : {} });

  const embedded = config.databaseUrl ? undefined : await embeddedDatabase(config.dataDir);
  const jwtSecret = secretFile(config.jwtSecretFile || join(config.dataDir, 'jwt-secret'), 32, 'the token signing secret');
  if (jwtSecret.length < 32) throw new TouchlineError('TL_ERR_CONFIG_INVALID', 'Central setting "jwtSecretFile" must hold at least 32 characters');

  let central;
  try {
    central = await buildApp({ config, databaseUrl: config.databaseUrl || embedded!.url, jwtSecret: new TextEncoder().encode(jwtSecret), logger: true });
  } catch (err) {
    await embedded?.server.stop();
    throw err;
  }

  const shutdown = async (signal: string) => {
    console.log(`touchline central: ${signal}, shutting down`);
    await central.close();
    await embedded?.server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.adminEmail) {
    const password = await central.auth.bootstrapAdmin(config.adminEmail);
    if (password) console.log(`touchline central: created admin ${config.adminEmail} with password ${password} (shown once; sign in and keep it safe)`);
    else console.log('touchline central: an admin exists already, so no admin was created');
  }
  await central.app.listen({ host: config.host, port: config.port });
  const port = (central.app.server.address() as { port: number }).port;
  console.log(`touchline central is running\n  portal    http://localhost:${port}/portal\n  API docs  http://localhost:${port}/docs`);
}

main().catch((err: unknown) => {
  if (isTouchlineError(err)) {
    console.error(`${err.code}: ${err.message}`);
    process.exit(2);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`TL_ERR_PORT_IN_USE: ${(err as Error).message}; choose another port (TOUCHLINE_CENTRAL_PORT)`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
