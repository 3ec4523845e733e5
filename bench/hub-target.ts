/**
 * The hub as the system under test: the built hub, started by its launcher `hub/bin/touchline-hub`
 * exactly as the appliance starts it, as a child process with TOUCHLINE_
 * variables (a temporary data folder, free loopback ports, demo off), set up through its API the
 * way a user would: first admin, athletes, one device credential covering every sensor ("*"),
 * pairings, and a display token for the live screen.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoAthlete } from '@touchline/firmware-bridge';
import { buildHub } from '../hub/build.ts';
import { LiveReceiver, type LiveUpdate } from './live-receiver.ts';
import { freePort, stopChild, unlessExited, waitFor } from './processes.ts';
import { storedReadings } from './storage.ts';
import type { IngestTarget } from './target.ts';

export interface HubTargetOptions {
  repoRoot: string;
  workDir: string;
  /** The environment the hub inherits (PATH and the like); TOUCHLINE_ settings are added to it. */
  baseEnv: NodeJS.ProcessEnv;
  squad: readonly DemoAthlete[];
}

export interface HubTarget extends IngestTarget {
  /** http://127.0.0.1:PORT, where the hub serves its API and the dashboard. */
  baseUrl: string;
  dataDir: string;
  databasePath: string;
  logPath: string;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /**
   * Kills the hub with SIGKILL and starts it again on the same data and ports, as a supervisor
   * would; resolves when its API answers, with the milliseconds that took. The live receiver is
   * reopened on the new process.
   */
  crashAndRestart(): Promise<{ startedAt: number; answeredAfterMs: number }>;
}

interface LiveFrame {
  type: string;
  athletes?: { id: string; t: number | null }[];
}

export async function startHubTarget(options: HubTargetOptions): Promise<HubTarget> {
  // Built from the current source, so the bench never measures a stale build.
  await buildHub();
  const dataDir = join(options.workDir, 'hub-data');
  const logPath = join(options.workDir, 'hub.log');
  const [httpPort, mqttPort] = [await freePort(), await freePort()];
  const log = openSync(logPath, 'a');
  const launch = () =>
    // The launcher execs Node, so the child's pid is the hub's own (the restart bench kills it).
    spawn(join(options.repoRoot, 'hub', 'bin', 'touchline-hub'), [], {
      cwd: options.repoRoot,
      stdio: ['ignore', log, log],
      env: {
        ...options.baseEnv,
        TOUCHLINE_HUB_DATA_DIR: dataDir,
        TOUCHLINE_HTTP_HOST: '127.0.0.1',
        TOUCHLINE_HTTP_PORT: String(httpPort),
        TOUCHLINE_MQTT_HOST: '127.0.0.1',
        TOUCHLINE_MQTT_PORT: String(mqttPort),
        TOUCHLINE_DEMO_ENABLED: 'false',
      },
    });
  let child = launch();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  let token = '';
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  try {
    await unlessExited(child, 'the hub', waitFor('the hub to answer', () => api<{ setupRequired: boolean }>('GET', '/api/auth/me').then((me) => me ?? undefined)));
    const admin = await api<{ token: string }>('POST', '/api/auth/setup', { name: 'bench-admin', password: `bench-${crypto.randomUUID()}` });
    token = admin.token;
    const credential = await api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'bench load generator' });
    const display = await api<{ token: string }>('POST', '/api/display-tokens', { label: 'bench live screen' });

    const athleteIds: string[] = [];
    const indexOf = new Map<string, number>();
    const parse = (text: string): LiveUpdate[] => {
      const frame = JSON.parse(text) as LiveFrame;
      const updates: LiveUpdate[] = [];
      for (const a of frame.athletes ?? []) {
        const athlete = indexOf.get(a.id);
        if (a.t !== null && athlete !== undefined) updates.push({ athlete, t: a.t });
      }
      return updates;
    };
    const processes = [{ name: 'hub', pid: child.pid! }];
    let receiver = new LiveReceiver({ url: `ws://127.0.0.1:${httpPort}/api/live/ws?token=${encodeURIComponent(display.token)}`, parse, newerOnly: true });
    await receiver.open();
    const answered = () => unlessExited(child, 'the hub', waitFor('the hub to answer', () => api<{ setupRequired: boolean }>('GET', '/api/auth/me').then((me) => me ?? undefined, () => undefined), 60_000));

    return {
      name: 'hub',
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      username: credential.username,
      password: credential.password,
      processes,
      get receiver() {
        return receiver;
      },
      deliveredBy: 'puback',
      baseUrl,
      dataDir,
      databasePath: join(dataDir, 'hub.sqlite'),
      logPath,
      api,
      async accounting() {
        const rejects = await api<{ byCode: Record<string, number> }>('GET', '/api/ingest/rejects');
        return { rejectedByCode: rejects.byCode, stored: storedReadings(join(dataDir, 'hub.sqlite')) };
      },
      async prepare(athletes) {
        for (let i = athleteIds.length; i < athletes; i++) {
          const member = options.squad[i]!;
          const created = await api<{ id: string }>('POST', '/api/athletes', {
            name: member.name,
            number: member.number,
            position: member.position,
            group: null,
            hrMax: member.hrMax,
            hrRest: member.hrRest,
            sex: member.sex,
            massKg: member.massKg,
            birthYear: member.birthYear,
            zones: null,
            thresholds: null,
          });
          athleteIds.push(created.id);
          indexOf.set(created.id, i);
          for (const sensorId of [member.hrSensorId, member.podSensorId]) {
            await api('PUT', `/api/sensors/${sensorId}/pairing`, { athleteId: created.id });
          }
        }
      },
      async crashAndRestart() {
        receiver.close();
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        const startedAt = Date.now();
        child = launch();
        await answered();
        const answeredAfterMs = Date.now() - startedAt;
        processes[0] = { name: 'hub', pid: child.pid! };
        receiver = new LiveReceiver({ url: `ws://127.0.0.1:${httpPort}/api/live/ws?token=${encodeURIComponent(display.token)}`, parse, newerOnly: true });
        await receiver.open();
        return { startedAt, answeredAfterMs };
      },
      async stop() {
        receiver.close();
        await stopChild(child);
      },
    };
  } catch (err) {
    await stopChild(child);
    throw new Error(`${err instanceof Error ? err.message : String(err)} (hub log: ${logPath})`, { cause: err });
  }
}
