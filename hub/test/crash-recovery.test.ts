/**
 * The hub as the appliance runs it (its build, through hub/bin/touchline-hub), killed -9 mid-session: every reading whose QoS 1 PUBACK the device received must be in the store
 * after the restart. How fast the hub is back is measured by `npm run bench` (restart time), not
 * asserted here: this machine is shared and a timing threshold would make the test flaky.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { buildHub } from '../build.ts';
import { ADMIN, SQUAD_MEMBER, until } from './test-hub.ts';

/** Runs the build made below; the launcher execs Node, so kill -9 reaches the hub itself. */
const launcher = join(import.meta.dirname, '..', 'bin', 'touchline-hub');

interface RunningHub {
  child: ChildProcess;
  httpUrl: string;
  mqttUrl: string;
}

function startHubProcess(dataDir: string): Promise<RunningHub> {
  const child = spawn(launcher, [], {
    env: { ...process.env, TOUCHLINE_CONFIG: join(dataDir, 'none.yaml'), TOUCHLINE_HUB_DATA_DIR: dataDir, TOUCHLINE_HTTP_PORT: '0', TOUCHLINE_HTTP_HOST: '127.0.0.1', TOUCHLINE_MQTT_PORT: '0', TOUCHLINE_MQTT_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const http = /dashboard\s+(http:\/\/\S+?)\//.exec(out);
      const mqttUrl = /MQTT\s+(mqtt:\/\/\S+)/.exec(out);
      if (http && mqttUrl) resolve({ child, httpUrl: http[1]!, mqttUrl: mqttUrl[1]! });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${out}`)));
  });
}

async function api<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('crash recovery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'touchline-crash-'));
  let running: RunningHub | undefined;
  // The appliance's build, from the current source (a few seconds).
  beforeAll(() => buildHub(), 120_000);
  afterAll(() => {
    running?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged QoS 1 reading across kill -9', async () => {
    running = await startHubProcess(dataDir);
    const { token } = await api<{ token: string }>(running.httpUrl, 'POST', '/api/auth/setup', ADMIN);
    const athlete = await api<{ id: string }>(running.httpUrl, 'POST', '/api/athletes', SQUAD_MEMBER, token);
    const credential = await api<{ username: string; password: string }>(running.httpUrl, 'POST', '/api/device-credentials', { sensorIds: ['strap-9'] }, token);
    await api(running.httpUrl, 'PUT', '/api/sensors/strap-9/pairing', { athleteId: athlete.id }, token);

    const device = mqtt.connect(running.mqttUrl, { username: credential.username, password: credential.password, reconnectPeriod: 0 });
    await new Promise((resolve) => device.once('connect', resolve));
    device.on('error', () => {});

    const t0 = Date.now() - 60_000;
    const acknowledged: number[] = [];
    let sent = 0;
    // Publish as fast as acknowledgements come back, several in flight, and pull the plug midway.
    const pump = async (lane: number) => {
      for (let i = lane; ; i += 4) {
        const t = t0 + i * 10;
        sent++;
        try {
          await device.publishAsync('touchline/v1/sensors/strap-9/hr', JSON.stringify({ t, bpm: 60 + (i % 150) }), { qos: 1 });
          acknowledged.push(t);
        } catch {
          return;
        }
        if (!device.connected) return;
      }
    };
    const lanes = [0, 1, 2, 3].map((lane) => pump(lane));
    await until(() => acknowledged.length >= 300, 10_000, '300 acknowledged readings');
    running.child.kill('SIGKILL');
    await new Promise((resolve) => running!.child.once('exit', resolve));
    device.end(true);
    await Promise.all(lanes);
    expect(sent).toBeGreaterThan(acknowledged.length - 1);

    const restartedAt = Date.now();
    running = await startHubProcess(dataDir);
    const login = await api<{ token: string }>(running.httpUrl, 'POST', '/api/auth/login', ADMIN);
    const upAfterMs = Date.now() - restartedAt;

    const stored = await api<{ readings: { t: number }[] }>(running.httpUrl, 'GET', `/api/athletes/${athlete.id}/readings?stream=hr&from=${t0}&to=${Date.now()}`, undefined, login.token);
    const storedTimes = new Set(stored.readings.map((r) => r.t));
    const lost = acknowledged.filter((t) => !storedTimes.has(t));
    expect(lost).toEqual([]);
    expect(stored.readings.length).toBeGreaterThanOrEqual(acknowledged.length);
    console.log(`hub answered again ${upAfterMs} ms after the restart`);
  }, 40_000);
});
