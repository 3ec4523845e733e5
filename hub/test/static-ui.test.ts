/**
 * The hub serves the dashboard's static build: app paths get index.html, hashed assets are cached
 * for good and sent precompressed, API paths keep their JSON 404, and a hub without a build still
 * starts and says how to build it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { resolveConfig } from '../src/config/load-config.ts';
import { buildHub, type Hub } from '../src/app.ts';

const INDEX = '<!doctype html><title>Touchline</title><div id="app"></div>';
const SCRIPT = 'export const answer = 42;\n'.repeat(20);

async function hubWith(uiDir: string): Promise<{ hub: Hub; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'touchline-static-'));
  const hub = await buildHub(resolveConfig({ hub: { dataDir } }), { uiDir });
  return { hub, dataDir };
}

describe('dashboard serving', () => {
  let built: { hub: Hub; dataDir: string };
  let missing: { hub: Hub; dataDir: string };
  let uiDir: string;

  beforeAll(async () => {
    uiDir = mkdtempSync(join(tmpdir(), 'touchline-ui-build-'));
    mkdirSync(join(uiDir, '_app', 'immutable'), { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), INDEX);
    writeFileSync(join(uiDir, '_app', 'immutable', 'app.abc123.js'), SCRIPT);
    writeFileSync(join(uiDir, '_app', 'immutable', 'app.abc123.js.gz'), gzipSync(SCRIPT));
    built = await hubWith(uiDir);
    missing = await hubWith(join(uiDir, 'not-built'));
  });

  afterAll(async () => {
    for (const h of [built, missing]) {
      await h?.hub.close();
      if (h) rmSync(h.dataDir, { recursive: true, force: true });
    }
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('answers every app path with index.html, revalidated on each load', async () => {
    for (const url of ['/', '/athletes/a-1', '/wall?token=abc', '/settings/sensors']) {
      const res = await built.hub.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toBe(INDEX);
    }
  });

  it('sends hashed assets precompressed and cacheable for good', async () => {
    const plain = await built.hub.app.inject({ method: 'GET', url: '/_app/immutable/app.abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const gzipped = await built.hub.app.inject({ method: 'GET', url: '/_app/immutable/app.abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/javascript/);
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
  });

  it('answers a missing asset and an unknown API path with a coded 404, never the app page', async () => {
    // The portal's pages share the build but need central, so the hub does not serve them.
    for (const url of ['/_app/immutable/gone.js', '/favicon.png', '/api/no-such-thing', '/metrics/x', '/portal', '/portal/teams/x']) {
      const res = await built.hub.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('TL_ERR_NOT_FOUND');
    }
    // A real API route still answers as the API (here: the hub has no admin yet).
    expect((await built.hub.app.inject({ method: 'GET', url: '/api/live' })).json().code).toBe('TL_ERR_SETUP_REQUIRED');
  });

  it('starts without a build and says on / how to build it', async () => {
    const res = await missing.hub.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build -w @touchline/ui');
    expect((await missing.hub.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
  });
});
