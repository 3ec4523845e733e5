import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/load-config.ts';
import { buildHub, type Hub } from '../src/app.ts';
import { ADMIN, SQUAD_MEMBER, startTestHub, type TestHub } from './test-hub.ts';

type Body = { code?: string; token?: string; role?: string; id?: string; url?: string; qrSvg?: string };

describe('first start', () => {
  let hub: Hub;
  const dataDir = mkdtempSync(join(tmpdir(), 'touchline-auth-'));
  beforeAll(async () => {
    hub = await buildHub(resolveConfig({ hub: { dataDir } }));
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has no default account: everything but setup answers TL_ERR_SETUP_REQUIRED until the first admin exists', async () => {
    const me = await hub.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.json()).toMatchObject({ setupRequired: true });
    const live = await hub.app.inject({ method: 'GET', url: '/api/live' });
    expect(live.statusCode).toBe(409);
    expect(live.json().code).toBe('TL_ERR_SETUP_REQUIRED');
    const login = await hub.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'admin', password: 'admin' } });
    expect(login.json().code).toBe('TL_ERR_AUTH_FAILED');
  });

  it('refuses a weak first password, accepts a strong one once, then refuses a second setup', async () => {
    const weak = await hub.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { name: 'boss', password: 'short' } });
    expect(weak.json().code).toBe('TL_ERR_VALIDATION');
    const ok = await hub.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { name: 'boss', password: 'a long enough secret' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['set-cookie']).toMatch(/tl_token=.+HttpOnly; SameSite=Strict/);
    const again = await hub.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { name: 'mallory', password: 'another long secret' } });
    expect(again.json().code).toBe('TL_ERR_CONFLICT');
  });
});

describe('roles, tokens and the audit log', () => {
  let t: TestHub;
  let staffToken: string;
  let displayToken: string;

  beforeAll(async () => {
    t = await startTestHub({ auth: { loginAttemptsPerMinute: 3 } });
    await t.api('POST', '/api/users', { name: 'physio', role: 'staff', password: '246813' });
    staffToken = (await t.api<Body>('POST', '/api/auth/login', { name: 'physio', password: '246813' }, null)).body.token!;
    const display = await t.api<Body>('POST', '/api/display-tokens', { label: 'wall' });
    expect(display.body.url).toContain(`/wall?token=${display.body.token}`);
    expect(display.body.qrSvg).toMatch(/^<svg/);
    displayToken = display.body.token!;
  });
  afterAll(() => t.stop());

  it('lets each role do what it may and nothing more', async () => {
    const create = (token: string | null) => t.api<Body>('POST', '/api/athletes', SQUAD_MEMBER, token);
    expect((await create(null)).body.code).toBe('TL_ERR_AUTH_REQUIRED');
    expect((await create('not-a-token')).body.code).toBe('TL_ERR_AUTH_REQUIRED');
    expect((await create(displayToken)).body.code).toBe('TL_ERR_FORBIDDEN');
    expect((await create(staffToken)).body.code).toBe('TL_ERR_FORBIDDEN');
    const created = await create(t.adminToken);
    expect(created.status).toBe(200);

    // The wall screen may watch but not pair a sensor; staff may pair.
    expect((await t.api('GET', '/api/live', undefined, displayToken)).status).toBe(200);
    const pairAs = (token: string) => t.api<Body>('PUT', '/api/sensors/strap-x/pairing', { athleteId: created.body.id }, token);
    expect((await pairAs(displayToken)).body.code).toBe('TL_ERR_FORBIDDEN');
    expect((await pairAs(staffToken)).status).toBe(200);
    // Only admins see users, credentials and the audit log.
    for (const path of ['/api/users', '/api/device-credentials', '/api/audit']) {
      expect((await t.api<Body>('GET', path, undefined, staffToken)).body.code).toBe('TL_ERR_FORBIDDEN');
      expect((await t.api('GET', path)).status).toBe(200);
    }
  });

  it('logs every change with who made it', async () => {
    const audit = await t.api<{ actor: string; action: string }[]>('GET', '/api/audit?limit=50');
    const actions = audit.body.map((e) => `${e.actor}:${e.action}`);
    expect(actions).toContain(`${ADMIN.name}:user.create`);
    expect(actions).toContain(`${ADMIN.name}:display-token.create`);
    expect(actions).toContain(`${ADMIN.name}:athlete.create`);
    expect(actions).toContain('physio:sensor.pair');
    expect(actions).toContain('physio:auth.login');
  });

  it('rate-limits sign-in attempts per client and name', async () => {
    const attempt = () => t.api<Body>('POST', '/api/auth/login', { name: 'physio', password: 'wrong-pin' }, null);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await attempt()).body.code);
    // The staff member's own successful sign-in above was the first attempt of this minute.
    expect(codes.filter((c) => c === 'TL_ERR_AUTH_FAILED').length).toBe(2);
    expect(codes.slice(2)).toEqual(['TL_ERR_AUTH_RATE_LIMITED', 'TL_ERR_AUTH_RATE_LIMITED', 'TL_ERR_AUTH_RATE_LIMITED']);
    // Even the right PIN is refused until the minute is over.
    expect((await t.api<Body>('POST', '/api/auth/login', { name: 'physio', password: '246813' }, null)).body.code).toBe('TL_ERR_AUTH_RATE_LIMITED');
  });

  it('revokes: a logged-out token, a revoked display token and a disabled user stop working', async () => {
    const session = (await t.api<Body>('POST', '/api/auth/login', { name: ADMIN.name, password: ADMIN.password }, null)).body.token!;
    expect((await t.api('POST', '/api/auth/logout', undefined, session)).status).toBe(200);
    expect((await t.api<Body>('GET', '/api/live', undefined, session)).body.code).toBe('TL_ERR_AUTH_REQUIRED');

    const tokens = await t.api<{ id: string }[]>('GET', '/api/display-tokens');
    await t.api('DELETE', `/api/display-tokens/${tokens.body[0]!.id}`);
    expect((await t.api<Body>('GET', '/api/live', undefined, displayToken)).body.code).toBe('TL_ERR_AUTH_REQUIRED');

    const users = await t.api<{ id: string; name: string }[]>('GET', '/api/users');
    const physio = users.body.find((u) => u.name === 'physio')!;
    await t.api('PATCH', `/api/users/${physio.id}`, { disabled: true });
    expect((await t.api<Body>('GET', '/api/live', undefined, staffToken)).body.code).toBe('TL_ERR_AUTH_REQUIRED');
  });
});

describe('the API reference', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(() => t.stop());

  it('is readable without signing in and lists every API route with a summary', async () => {
    const page = await fetch(`${t.httpUrl}/docs/`);
    expect(page.status).toBe(200);
    const doc = (await (await fetch(`${t.httpUrl}/docs/json`)).json()) as { paths: Record<string, Record<string, { summary?: string }>> };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, summary: op.summary })));
    for (const route of ['POST /api/auth/login', 'GET /api/athletes', 'PUT /api/sensors/{id}/pairing', 'GET /api/live', 'POST /api/sessions', 'GET /api/alerts', 'GET /api/health', 'GET /api/settings']) {
      expect(documented.map((d) => d.route)).toContain(route);
    }
    expect(documented.filter((d) => d.route.includes(' /api/') && !d.summary)).toEqual([]);
  });
});
