/** Starts a real central on loopback against its own database on the test run's PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { inject } from 'vitest';
import { resolveConfig } from '../src/config/load-config.ts';
import type { CentralConfig } from '../src/config/config.schema.ts';
import { buildApp, type Central } from '../src/app.ts';
import type { UplinkBatch } from '../src/schemas/uplink.schema.ts';

export const ADMIN = { email: 'admin@example.org', password: '' };
export const JWT_SECRET = new TextEncoder().encode('test-secret-test-secret-test-secret!');

/** A fresh, empty database on the run's server; returns its connection string. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('centralPostgresUrl');
  const name = `tl_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

export interface ApiResult<T> {
  status: number;
  body: T;
}

export interface TestCentral {
  central: Central;
  url: string;
  port: number;
  databaseUrl: string;
  adminToken: string;
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResult<T>>;
  close(): Promise<void>;
}

async function call<T>(url: string, method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * Builds central and listens on 127.0.0.1 (port 0, or `port` to come back on the same one after
 * a restart). The first start on a database bootstraps the admin; later ones sign in again.
 */
export async function startTestCentral(options: { databaseUrl?: string; port?: number; config?: Partial<CentralConfig>; now?: () => number } = {}): Promise<TestCentral> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = resolveConfig({ host: '127.0.0.1', port: options.port ?? 0, ...options.config });
  const central = await buildApp({ config, databaseUrl, jwtSecret: JWT_SECRET, ...(options.now ? { now: options.now } : {}) });
  const password = await central.auth.bootstrapAdmin(ADMIN.email);
  if (password) ADMIN.password = password;
  await central.app.listen({ host: '127.0.0.1', port: config.port });
  const port = (central.app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const login = await call<{ token: string }>(url, 'POST', '/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
  if (login.status !== 200) throw new Error(`admin sign-in failed: ${JSON.stringify(login.body)}`);
  const adminToken = login.body.token;
  return {
    central,
    url,
    port,
    databaseUrl,
    adminToken,
    api: (method, path, body, token = adminToken) => call(url, method, path, body, token),
    close: () => central.close(),
  };
}

/** Creates an organisation (once per name), a club in it and a hub for the club; returns the code. */
export async function clubWithHub(t: TestCentral, clubName: string, organisation = 'Test League') {
  let org = (await t.api<{ id: string; name: string }[]>('GET', '/api/organisations')).body.find((o) => o.name === organisation);
  org ??= (await t.api<{ id: string; name: string }>('POST', '/api/organisations', { name: organisation })).body;
  const club = (await t.api<{ id: string }>('POST', '/api/clubs', { organisationId: org.id, name: clubName })).body;
  const created = await t.api<{ hub: { id: string }; enrolment: { code: string; expiresAt: number } }>('POST', '/api/hubs', { clubId: club.id, name: `${clubName} hub` });
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  return { organisationId: org.id, clubId: club.id, hubId: created.body.hub.id, code: created.body.enrolment.code };
}

/** Posts a batch as a hub does: gzip JSON with the credential, or raw bytes to test refusals. */
export async function postBatch<T = unknown>(
  url: string,
  credential: string | null,
  batch: UplinkBatch | Buffer,
  options: { encoding?: 'gzip' | 'identity' } = {},
): Promise<ApiResult<T>> {
  const encoding = options.encoding ?? 'gzip';
  const json = Buffer.isBuffer(batch) ? batch : Buffer.from(JSON.stringify(batch));
  const body = Buffer.isBuffer(batch) || encoding === 'identity' ? json : gzipSync(json);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-encoding': encoding };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const res = await fetch(`${url}/api/uplink/batches`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
