/** Starts a real hub on loopback (random ports, a fresh SQLite file) for integration tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import { resolveConfig } from '../src/config/load-config.ts';
import { buildHub, type Hub } from '../src/app.ts';
import type { HubConfig } from '../src/config/config.schema.ts';

export interface TestHub {
  hub: Hub;
  httpUrl: string;
  mqttUrl: string;
  mqttPort: number;
  dataDir: string;
  adminToken: string;
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: T }>;
  connectDevice(options?: IClientOptions): Promise<MqttClient>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

type Overrides = { [K in keyof HubConfig]?: Partial<HubConfig[K]> };

export const ADMIN = { name: 'coach', password: 'correct horse battery' };

export async function startTestHub(overrides: Overrides = {}, dataDir = mkdtempSync(join(tmpdir(), 'touchline-hub-'))): Promise<TestHub> {
  const config = resolveConfig({
    ...overrides,
    hub: { dataDir, ...overrides.hub },
    http: { host: '127.0.0.1', port: 0, ...overrides.http },
    mqtt: { host: '127.0.0.1', port: 0, ...overrides.mqtt },
    store: { commitIntervalMs: 5, ...overrides.store },
  });
  const hub = await buildHub(config);
  const mqttPort = await hub.broker.listen('127.0.0.1', 0);
  await hub.app.listen({ host: '127.0.0.1', port: 0 });
  const httpUrl = `http://127.0.0.1:${(hub.app.server.address() as { port: number }).port}`;
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;

  const api = async <T>(method: string, path: string, body?: unknown, token?: string | null) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(httpUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  let adminToken = '';
  if (hub.auth.setupRequired) {
    const setup = await api<{ token: string }>('POST', '/api/auth/setup', ADMIN);
    adminToken = setup.body.token;
  } else {
    adminToken = (await api<{ token: string }>('POST', '/api/auth/login', ADMIN)).body.token;
  }

  const clients: MqttClient[] = [];
  return {
    hub,
    httpUrl,
    mqttUrl,
    mqttPort,
    dataDir,
    adminToken,
    api: (method, path, body, token = adminToken) => api(method, path, body, token),
    async connectDevice(options = {}) {
      const client = mqtt.connect(mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      return client;
    },
    async stop({ keepData = false } = {}) {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await hub.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const SQUAD_MEMBER = {
  name: 'Ada Test',
  number: 7,
  position: 'midfield',
  group: 'A',
  hrMax: 190,
  hrRest: 50,
  sex: 'female' as const,
  massKg: 60,
  birthYear: 2000,
  zones: null,
  thresholds: null,
};

export function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = async () => {
      if (await check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    void poll();
  });
}
