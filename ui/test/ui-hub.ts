/**
 * A real hub for the browser tests, like hub/test/test-hub.ts but able to come back on the same
 * ports and data folder, so a test can restart it under an open page and watch the page recover.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../hub/src/config/load-config.ts';
import { buildHub, type Hub } from '../../hub/src/app.ts';
import { ADMIN } from '../../hub/test/test-hub.ts';

export interface UiHub {
  hub: Hub;
  dataDir: string;
  httpPort: number;
  mqttPort: number;
  url: string;
  mqttUrl: string;
  adminToken: string;
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: T }>;
  /** Closes the hub; the data folder is kept for a restart unless `removeData`. */
  stop(removeData?: boolean): Promise<void>;
}

export interface UiHubOptions {
  dataDir?: string;
  httpPort?: number;
  mqttPort?: number;
}

export async function startUiHub(options: UiHubOptions = {}): Promise<UiHub> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'touchline-ui-'));
  const config = resolveConfig({
    hub: { dataDir },
    http: { host: '127.0.0.1', port: options.httpPort ?? 0 },
    mqtt: { host: '127.0.0.1', port: options.mqttPort ?? 0 },
    store: { commitIntervalMs: 5 },
    // Short enough that a silent sensor turns stale, then lost, within a test.
    engine: { staleAfterSeconds: 2, lostAfterSeconds: 5 },
    auth: { loginAttemptsPerMinute: 50 },
  });
  const hub = await buildHub(config);
  const mqttPort = await hub.broker.listen('127.0.0.1', config.mqtt.port);
  await hub.app.listen({ host: '127.0.0.1', port: config.http.port });
  const httpPort = (hub.app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${httpPort}`;

  const api = async <T>(method: string, path: string, body?: unknown, token?: string | null) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const signIn = await api<{ token: string }>('POST', hub.auth.setupRequired ? '/api/auth/setup' : '/api/auth/login', ADMIN);
  const adminToken = signIn.body.token;

  return {
    hub,
    dataDir,
    httpPort,
    mqttPort,
    url,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    adminToken,
    api: (method, path, body, token = adminToken) => api(method, path, body, token),
    async stop(removeData = false) {
      await hub.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
