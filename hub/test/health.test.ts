import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MqttClient } from 'mqtt';
import { CounterHistory } from '../src/services/health.service.ts';
import type { Health } from '../src/schemas/health.schema.ts';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

const HUB_VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** One sample of the exposition format: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line must be a HELP, a
 * TYPE or a sample of a family whose TYPE came first; anything else fails the test.
 */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const labelPair = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"`;
  const sampleLine = new RegExp(`^(${name})(?:\\{((?:${labelPair})(?:,${labelPair})*)?,?\\})? (\\S+)(?: -?\\d+)?$`);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`not exposition format: ${line}`);
    const family = m[1]!.replace(/_(bucket|sum|count)$/, '');
    expect(types.has(m[1]!) || types.has(family), `TYPE before ${m[1]}`).toBe(true);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    const value = m[3] === 'NaN' ? NaN : m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    expect(Number.isNaN(value) && m[3] !== 'NaN', `number in ${line}`).toBe(false);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('rates from per-second counter snapshots', () => {
  it('averages over the window, or over the history there is when it is shorter', () => {
    const history = new CounterHistory(5);
    // Cumulative counts 0, 10, 30, 60, 100 at t = 0…4 s.
    [0, 10, 30, 60, 100].forEach((v, i) => history.record(i * 1000, v));
    // At 4.5 s with 120 counted: 2 s back is the snapshot at 2 s (30) → (120 − 30) / 2.5 s.
    expect(history.rate(4500, 120, 2)).toBeCloseTo(36, 12);
    // A window longer than the history uses the oldest snapshot: (120 − 0) / 4.5 s.
    expect(history.rate(4500, 120, 60)).toBeCloseTo(120 / 4.5, 12);
    // The ring keeps only the newest five: after t = 5 s, the oldest is t = 1 s (10).
    history.record(5000, 150);
    expect(history.rate(5000, 150, 60)).toBeCloseTo((150 - 10) / 4, 12);
    expect(new CounterHistory(3).rate(1000, 5, 10)).toBe(0);
  });
});

describe('health and metrics of a running hub', () => {
  let t: TestHub;
  let athleteId: string;
  let device: MqttClient;
  let credential: { username: string; password: string };
  let displayToken: string;

  const health = async (token?: string) => {
    const res = await t.api<Health>('GET', '/api/health', undefined, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestHub({ hub: { name: 'Riverside hub' } });
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    await t.api('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Bea Bench', number: 12 });
    credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-h1', 'pod-h1'], label: 'health test' })).body;
    await t.api('PUT', '/api/sensors/strap-h1/pairing', { athleteId });
    displayToken = (await t.api<{ token: string }>('POST', '/api/display-tokens', { label: 'wall' })).body.token;
    device = await t.connectDevice({ username: credential.username, password: credential.password, clientId: 'health-strap' });
  });

  afterAll(() => t.stop());

  it('answers the readiness probe without a token, and nothing more', async () => {
    const res = await fetch(`${t.httpUrl}/api/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('shows health to a wall-screen token but not to a stranger', async () => {
    expect((await t.api('GET', '/api/health', undefined, null)).status).toBe(401);
    expect((await t.api('GET', '/metrics', undefined, null)).status).toBe(401);
    const report = await health(displayToken);
    expect(report.hub).toMatchObject({ name: 'Riverside hub', version: HUB_VERSION, node: process.version });
  });

  it('counts exactly the good and bad messages published, with readings and rates', async () => {
    const before = await health();
    const t0 = Date.now() - 60_000;
    const good: [string, object][] = [
      ['touchline/v1/sensors/strap-h1/hr', { t: t0, bpm: 120 }],
      ['touchline/v1/sensors/strap-h1/hr', { t: t0 + 1000, bpm: 125 }],
      ['touchline/v1/sensors/strap-h1/battery', { t: t0 + 1000, pct: 77 }],
      // One message, three readings.
      ['touchline/v1/sensors/pod-h1/gnss', { fixes: [0, 1, 2].map((i) => ({ t: t0 + i * 100, lat: 51.5, lon: -0.12 + i * 1e-6, hdop: 0.8, sats: 12 })) }],
    ];
    const bad: [string, string, string][] = [
      ['touchline/v1/sensors/strap-h1/hr', '{"bpm": 900}', 'TL_ERR_INGEST_SCHEMA'],
      ['touchline/v1/sensors/strap-h1/hr', 'not json', 'TL_ERR_INGEST_JSON'],
      ['touchline/v1/sensors/strap-h1/hr', '{"bpm": -1}', 'TL_ERR_INGEST_SCHEMA'],
      ['touchline/v1/sensors/not-mine/hr', '{"bpm": 100}', 'TL_ERR_INGEST_UNAUTHORIZED'],
      ['touchline/v1/sensors/strap-h1/heat', '{"c": 30}', 'TL_ERR_INGEST_TOPIC'],
    ];
    for (const [topic, body] of good) await device.publishAsync(topic, JSON.stringify(body), { qos: 1 });
    for (const [topic, body] of bad) await device.publishAsync(topic, body, { qos: 1 });

    const after = await health();
    expect(after.ingest.accepted - before.ingest.accepted).toBe(good.length);
    expect(after.ingest.readings - before.ingest.readings).toBe(2 + 1 + 3);
    expect(after.ingest.rejects.total - before.ingest.rejects.total).toBe(bad.length);
    const expected: Record<string, number> = {};
    for (const [, , code] of bad) expected[code] = (expected[code] ?? 0) + 1;
    for (const [code, n] of Object.entries(expected)) expect((after.ingest.rejects.byCode[code] ?? 0) - (before.ingest.rejects.byCode[code] ?? 0)).toBe(n);
    // Every message arrived after the hub started, so each rate window saw them.
    for (const rates of [after.ingest.messagesPerSecond, after.ingest.readingsPerSecond]) {
      expect(rates.last10s).toBeGreaterThan(0);
      expect(rates.last1m).toBeGreaterThan(0);
    }
    expect(after.ingest.readingsPerSecond.last1m).toBeGreaterThanOrEqual(after.ingest.messagesPerSecond.last1m);

    // The paired strap shows its athlete, live signal and battery; the unpaired pod none.
    const strap = after.sensors.find((s) => s.id === 'strap-h1')!;
    expect(strap).toMatchObject({ athleteId, athleteName: SQUAD_MEMBER.name, signal: 'live', batteryPct: 77 });
    expect(after.sensors.find((s) => s.id === 'pod-h1')).toMatchObject({ athleteId: null, athleteName: null, signal: null });
    expect(after.athletes).toEqual({ total: 2, bySignal: { none: 1, live: 1, stale: 0, lost: 0 } });
  });

  it('counts the MQTT clients and live screens connected', async () => {
    const tools = [
      await t.connectDevice({ username: credential.username, password: credential.password, clientId: 'tool-1' }),
      await t.connectDevice({ username: credential.username, password: credential.password, clientId: 'tool-2' }),
    ];
    expect((await health()).broker.clients).toBe(3);
    await tools[1]!.endAsync();
    await until(async () => (await health()).broker.clients === 2, 5000, 'the broker to count the disconnect');

    const screen = new WebSocket(`${t.httpUrl.replace('http', 'ws')}/api/live/ws?token=${displayToken}`);
    await new Promise((resolve) => screen.once('message', resolve));
    const report = await health();
    expect(report.live.screens).toBe(1);
    expect(report.live.framesSent).toBeGreaterThanOrEqual(1);
    screen.close();
    await until(async () => (await health()).live.screens === 0, 5000, 'the screen to close');
  });

  it('reports the box, the process and the store plausibly', async () => {
    await t.hub.health.refresh();
    const report = await health();
    expect(report.box.sampledAt).not.toBeNull();
    expect(report.box.cpu.cores).toBeGreaterThan(0);
    expect(report.box.cpu.loadAverage).toHaveLength(3);
    expect(report.box.cpu.loadPercent).toBeGreaterThanOrEqual(0);
    expect(report.box.cpu.loadPercent).toBeLessThanOrEqual(100);
    // Null on machines without a readable sensor (this VM); otherwise a CPU temperature.
    const temperature = report.box.cpu.temperatureC;
    if (temperature !== null) expect(temperature).toBeGreaterThan(0);
    if (temperature !== null) expect(temperature).toBeLessThan(125);
    expect(report.box.memory.totalBytes).toBe(totalmem());
    expect(report.box.memory.availableBytes).toBeGreaterThan(0);
    expect(report.box.memory.availableBytes).toBeLessThanOrEqual(totalmem());
    expect(report.box.disk.path).toBe(t.dataDir);
    expect(report.box.disk.totalBytes).toBeGreaterThan(0);
    expect(report.box.disk.freeBytes).toBeLessThanOrEqual(report.box.disk.totalBytes!);

    expect(report.process.pid).toBe(process.pid);
    expect(report.process.rssBytes).toBeGreaterThan(report.process.heapUsedBytes);
    expect(report.process.heapTotalBytes).toBeGreaterThanOrEqual(report.process.heapUsedBytes);
    expect(report.process.eventLoop.utilization).toBeGreaterThanOrEqual(0);
    expect(report.process.eventLoop.utilization).toBeLessThanOrEqual(1);

    expect(report.store.fileBytes).toBeGreaterThan(0);
    expect(report.store.maxBytes).toBe(t.hub.config.store.maxDiskMegabytes * 1024 * 1024);
    expect(report.store.full).toBe(false);
    expect(report.store.unrecorded).toBe(0);
    expect(report.uplink).toEqual({ configured: false });
    expect(report.status).toBe(report.warnings.length > 0 ? 'warning' : 'ok');
  });

  it('serves /metrics as Prometheus text whose numbers match /api/health', async () => {
    await device.publishAsync('touchline/v1/sensors/strap-h1/hr', '{"bpm": 1e9}', { qos: 1 });
    const res = await fetch(`${t.httpUrl}/metrics`, { headers: { authorization: `Bearer ${displayToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parseExposition(await res.text());
    const report = await health();

    expect(types.get('touchline_ingest_messages_total')).toBe('counter');
    expect(types.get('touchline_ingest_rejects_total')).toBe('counter');
    expect(valueOf(samples, 'touchline_ingest_messages_total')).toBe(report.ingest.accepted);
    expect(valueOf(samples, 'touchline_ingest_readings_total')).toBe(report.ingest.readings);
    expect(Object.keys(report.ingest.rejects.byCode).length).toBeGreaterThanOrEqual(4);
    for (const [code, n] of Object.entries(report.ingest.rejects.byCode)) expect(valueOf(samples, 'touchline_ingest_rejects_total', { code })).toBe(n);
    // Codes not seen yet are exported at 0, so Prometheus' increase() counts their first rejects.
    expect(valueOf(samples, 'touchline_ingest_rejects_total', { code: 'TL_ERR_INGEST_OVERSIZE' })).toBe(0);
    expect(valueOf(samples, 'touchline_broker_clients')).toBe(report.broker.clients);
    expect(valueOf(samples, 'touchline_live_screens')).toBe(report.live.screens);
    expect(valueOf(samples, 'touchline_live_frames_sent_total')).toBe(report.live.framesSent);
    expect(valueOf(samples, 'touchline_store_max_bytes')).toBe(report.store.maxBytes);
    expect(valueOf(samples, 'touchline_store_full')).toBe(0);
    expect(valueOf(samples, 'touchline_store_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'touchline_store_commit_failures_total')).toBe(report.store.commitFailures);
    expect(valueOf(samples, 'touchline_store_commit_failing')).toBe(report.store.lastCommitError === null ? 0 : 1);
    expect(valueOf(samples, 'touchline_store_discarded_readings_total')).toBe(report.store.discardedWhileFailing);
    expect(valueOf(samples, 'touchline_store_undecodable_rows_total')).toBe(report.store.undecodableRows);
    expect(valueOf(samples, 'touchline_store_maintenance_failures_total')).toBe(report.store.maintenanceFailures);
    for (const signal of ['none', 'live', 'stale', 'lost'] as const) expect(valueOf(samples, 'touchline_athletes', { signal })).toBe(report.athletes.bySignal[signal]);
    expect(valueOf(samples, 'touchline_sensor_battery_percent', { sensor: 'strap-h1' })).toBe(77);
    expect(valueOf(samples, 'touchline_info', { version: HUB_VERSION })).toBe(1);
    // A missing temperature sensor leaves the series out instead of reporting 0 °C.
    expect(valueOf(samples, 'touchline_cpu_temperature_celsius')).toBe(report.box.cpu.temperatureC ?? undefined);
    // The standard Node.js process series are there for stock dashboards.
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('turns not-ready (503, coded) once the broker is gone', async () => {
    await t.hub.broker.close();
    const res = await fetch(`${t.httpUrl}/api/health/ready`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('TL_ERR_NOT_READY');
  });
});
