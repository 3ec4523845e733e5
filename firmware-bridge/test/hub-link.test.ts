import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBridge } from '../src/bridge.ts';
import { resolveBridgeConfig } from '../src/config/bridge-config.ts';
import { BATCH_WINDOW_MS, ReadingBatcher, type OutgoingMessage } from '../src/hub-link/batcher.ts';
import { ReadingGate, type BridgeReading } from '../src/hub-link/readings.ts';
import { until } from './support/capture-context.ts';

const NOW = Date.UTC(2026, 2, 1, 10, 0, 0);

describe('reading gate', () => {
  const gate = new ReadingGate();
  const check = (reading: BridgeReading, now = NOW) => gate.check(reading, now);

  it.each<[string, BridgeReading]>([
    ['a sensor id with a slash', { sensorId: 'a/b', stream: 'hr', t: NOW, bpm: 70 }],
    ['a heart rate of 0', { sensorId: 'gate-1', stream: 'hr', t: NOW, bpm: 0 }],
    ['a heart rate of 300', { sensorId: 'gate-1', stream: 'hr', t: NOW, bpm: 300 }],
    ['a position off the globe', { sensorId: 'gate-1', stream: 'gnss', t: NOW, lat: 91, lon: 0 }],
    ['a speed of 40 m/s', { sensorId: 'gate-1', stream: 'gnss', t: NOW, lat: 51, lon: 0, speed: 40 }],
    ['NaN', { sensorId: 'gate-1', stream: 'battery', t: NOW, pct: Number.NaN }],
    ['a battery of 101 %', { sensorId: 'gate-1', stream: 'battery', t: NOW, pct: 101 }],
    ['a time two days off', { sensorId: 'gate-1', stream: 'battery', t: NOW - 48 * 3600_000, pct: 50 }],
    ['a fractional time', { sensorId: 'gate-1', stream: 'battery', t: NOW + 0.5, pct: 50 }],
  ])('rejects %s', (_, reading) => {
    expect(check(reading).verdict.accepted).toBe(false);
  });

  it('drops impossible RR intervals but keeps the heart rate, and keeps at most the newest 32', () => {
    // 65535/1024 s = 63999 ms is a strap's placeholder (polar-ble-sdk BleHrClientTest.kt).
    const result = check({ sensorId: 'gate-2', stream: 'hr', t: NOW, bpm: 70, rr: [800, 63999.0234375, 150, 810] });
    expect(result.verdict).toEqual({ accepted: true, droppedRr: 2 });
    expect(result.reading).toEqual({ sensorId: 'gate-2', stream: 'hr', t: NOW, bpm: 70, rr: [800, 810] });
    const many = Array.from({ length: 40 }, (_, i) => 500 + i);
    expect(check({ sensorId: 'gate-3', stream: 'hr', t: NOW, bpm: 70, rr: many }).reading).toMatchObject({ rr: many.slice(8) });
  });

  it('lets a device send 5 heart rates a second with 2 s of burst, and drops and counts a flood', () => {
    const flood = new ReadingGate();
    const verdicts = Array.from({ length: 100 }, (_, i) => flood.check({ sensorId: 'babbler', stream: 'hr', t: NOW, bpm: 70 }, NOW + i).verdict);
    // 10 tokens of burst plus 5/s × 0.099 s refilled ≈ 0.5: 10 accepted.
    expect(verdicts.filter((v) => v.accepted)).toHaveLength(10);
    expect(verdicts.at(-1)).toMatchObject({ accepted: false, reason: 'flood' });
    // Other sensors and streams are not affected.
    expect(flood.check({ sensorId: 'quiet', stream: 'hr', t: NOW, bpm: 70 }, NOW + 100).verdict.accepted).toBe(true);
    expect(flood.check({ sensorId: 'babbler', stream: 'battery', t: NOW, pct: 50 }, NOW + 100).verdict.accepted).toBe(true);
    // A second later the babbler may send again.
    expect(flood.check({ sensorId: 'babbler', stream: 'hr', t: NOW, bpm: 70 }, NOW + 1300).verdict.accepted).toBe(true);
  });
});

describe('reading batcher', () => {
  it('sends heart rate at once, a pod’s fixes as one batch and its PlayerLoad increments as one sum per window', () => {
    const out: OutgoingMessage[] = [];
    const batcher = new ReadingBatcher((m) => out.push(m));
    batcher.add({ sensorId: 'hr-1', stream: 'hr', t: NOW, bpm: 70, rr: [857] }, NOW);
    expect(out).toEqual([{ topic: 'touchline/v1/sensors/hr-1/hr', payload: '{"t":1772359200000,"bpm":70,"rr":[857]}' }]);
    for (let i = 0; i < 3; i++) {
      batcher.add({ sensorId: 'pod-1', stream: 'gnss', t: NOW + i * 100, lat: 51.5, lon: -0.1, speed: 2 }, NOW + i * 100);
      batcher.add({ sensorId: 'pod-1', stream: 'imu', t: NOW + i * 100, playerLoad: 0.25 }, NOW + i * 100);
    }
    batcher.flushDue(NOW + BATCH_WINDOW_MS - 1);
    expect(out).toHaveLength(1);
    batcher.flushDue(NOW + BATCH_WINDOW_MS);
    expect(out.slice(1)).toEqual([
      {
        topic: 'touchline/v1/sensors/pod-1/gnss',
        payload: JSON.stringify({ fixes: [0, 1, 2].map((i) => ({ t: NOW + i * 100, lat: 51.5, lon: -0.1, speed: 2 })) }),
      },
      { topic: 'touchline/v1/sensors/pod-1/imu', payload: JSON.stringify({ t: NOW + 200, playerLoad: 0.75 }) },
    ]);
  });

  it('never puts more than 100 fixes in one message', () => {
    const out: OutgoingMessage[] = [];
    const batcher = new ReadingBatcher((m) => out.push(m));
    for (let i = 0; i < 250; i++) batcher.add({ sensorId: 'pod-1', stream: 'gnss', t: NOW + i, lat: 51.5, lon: -0.1 }, NOW);
    batcher.flushAll();
    expect(out.map((m) => (JSON.parse(m.payload) as { fixes: unknown[] }).fixes.length)).toEqual([100, 100, 50]);
  });
});

describe('bridge with the hub unreachable', () => {
  it('spools up to its cap, applies and reports the when-full policy, and keeps the spool over a restart', async () => {
    // A port nobody listens on.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const dir = mkdtempSync(join(tmpdir(), 'touchline-full-'));
    const config = resolveBridgeConfig({
      bridge: { id: 'no-hub' },
      hub: { mqttUrl: `mqtt://127.0.0.1:${port}` },
      spool: { dir, maxMegabytesPerAdapter: 0.004, whenFull: 'drop-newest' },
      adapters: { simulator: { enabled: true, athletes: 2, dropoutRate: 0 } },
    });
    const logs: string[] = [];
    const bridge = await startBridge({ config, log: (_level, message) => logs.push(message) });
    try {
      await until(() => bridge.status().adapters[0]!.outbox.spool.droppedWhenFull > 0, 5000, 'the spool to fill');
      const { outbox } = bridge.status().adapters[0]!;
      expect(outbox.connected).toBe(false);
      expect(outbox.lastError).toMatch(/ECONNREFUSED/);
      expect(outbox.spool.policy).toBe('drop-newest');
      expect(outbox.spool.bytes).toBeLessThanOrEqual(outbox.spool.maxBytes);
      expect(outbox.spool.maxBytes).toBe(Math.round(0.004 * 1024 * 1024));
      expect(outbox.spool.records).toBe(outbox.spool.spooled);
      expect(logs.some((line) => line.includes('no hub credential'))).toBe(true);
    } finally {
      await bridge.stop();
    }
    expect(bridge.status().state).toBe('stopped');
    const kept = bridge.status().adapters[0]!.outbox.spool.records;
    // A new bridge on the same folder finds what the last one could not deliver.
    const again = await startBridge({ config });
    try {
      expect(again.status().adapters[0]!.outbox.spool.records).toBeGreaterThanOrEqual(kept);
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
