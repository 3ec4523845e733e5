/**
 * End to end on real parts: a GNSS pod emulated on a pseudo-terminal pair (socat) streams NMEA at
 * 10 Hz into the bridge, which publishes through a real MQTT connection into a real hub; readings
 * are read back from the hub's API. Then the hub goes away and comes back: the bridge spools,
 * replays in order, and the hub holds every reading exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUAD_MEMBER, startTestHub, type TestHub } from '../../hub/test/test-hub.ts';
import { startBridge, type BridgeStatus, type RunningBridge } from '../src/bridge.ts';
import { resolveBridgeConfig } from '../src/config/bridge-config.ts';
import { until } from './support/capture-context.ts';
import { joggingTrack, nmeaEpoch, type EpochFix } from './support/nmea.ts';
import { openPtyPair, type PtyPair } from './support/pty-pair.ts';
import { startTcpRelay, type TcpRelay } from './support/tcp-relay.ts';

const POD = 'gnss-pod-7';

interface StoredFix {
  sensorId: string;
  t: number;
  lat: number;
  lon: number;
  speed?: number;
  hdop?: number;
  sats?: number;
}

describe('GNSS pod → bridge → hub', () => {
  let hub: TestHub;
  let relay: TcpRelay;
  let pty: PtyPair;
  let bridge: RunningBridge;
  let athleteId: string;
  let spoolDir: string;
  const sent: EpochFix[] = [];
  let nextT = 0;

  /** Writes `seconds` of the track at 10 Hz, in real time, as the pod would. */
  const stream = async (seconds: number): Promise<void> => {
    const fixes = joggingTrack(nextT, seconds);
    nextT += seconds * 1000;
    for (const fix of fixes) {
      pty.write(nmeaEpoch(fix));
      sent.push(fix);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const storedFixes = async (): Promise<StoredFix[]> => {
    const from = sent[0]!.t;
    const res = await hub.api<{ readings: StoredFix[] }>('GET', `/api/athletes/${athleteId}/readings?stream=gnss&from=${from}&to=${nextT}`);
    expect(res.status).toBe(200);
    return res.body.readings;
  };

  const gnss = (status: BridgeStatus) => status.adapters.find((a) => a.id === 'gnss')!;

  beforeAll(async () => {
    hub = await startTestHub();
    relay = await startTcpRelay(hub.mqttPort);
    athleteId = (await hub.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    await hub.api('PUT', `/api/sensors/${POD}/pairing`, { athleteId });
    const credential = (await hub.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'bridge' })).body;
    pty = await openPtyPair();
    spoolDir = mkdtempSync(join(tmpdir(), 'touchline-spool-'));
    const config = resolveBridgeConfig({
      bridge: { id: 'pitch-side' },
      hub: { mqttUrl: `mqtt://127.0.0.1:${relay.port}`, username: credential.username, password: credential.password },
      spool: { dir: spoolDir },
      adapters: { gnss: { enabled: true, pods: [{ path: pty.device, sensorId: POD, baudRate: 115200 }] } },
    });
    bridge = await startBridge({ config });
    await until(() => gnss(bridge.status()).outbox.connected, 5000, 'the bridge to reach the hub');
    nextT = Date.now() - (Date.now() % 100) + 100;
  });

  afterAll(async () => {
    await bridge?.stop();
    await pty?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('stores every 10 Hz fix in the hub, with position, speed, HDOP and satellites', async () => {
    await stream(3);
    await until(async () => (await storedFixes()).length >= 30, 5000, 'thirty fixes in the hub');
    const stored = await storedFixes();
    expect(stored.map((f) => f.t)).toEqual(sent.map((f) => f.t));
    stored.forEach((fix, i) => {
      expect(fix.sensorId).toBe(POD);
      // NMEA carries 5 decimals of minutes: 1e-5/60 ° ≈ 2e-7 °.
      expect(fix.lat).toBeCloseTo(sent[i]!.lat, 6);
      expect(fix.lon).toBeCloseTo(sent[i]!.lon, 6);
      // 3 m/s was written as 5.832 knots: 5.832 × 1852/3600 = 3.00026 m/s.
      expect(fix.speed).toBeCloseTo(3, 3);
      expect(fix.hdop).toBe(0.8);
      expect(fix.sats).toBe(14);
    });
  });

  it("shows the bridge, its adapter and the pod's state on the hub", async () => {
    await until(async () => {
      const res = await hub.api<{ bridges: { bridgeId: string; online: boolean; status: BridgeStatus }[] }>('GET', '/api/bridges');
      const entry = res.body.bridges.find((b) => b.bridgeId === 'pitch-side');
      return entry?.online === true && gnss(entry.status).devices[0]?.readings === sent.length;
    }, 8000, 'a status with every reading');
    const { body } = await hub.api<{ bridges: { status: BridgeStatus }[] }>('GET', '/api/bridges');
    const adapter = gnss(body.bridges[0]!.status);
    expect(adapter).toMatchObject({ transport: 'serial-gnss', capabilities: ['gnss'], outbox: { connected: true, spool: { policy: 'drop-oldest', records: 0 } } });
    expect(adapter.devices[0]).toMatchObject({ sensorId: POD, via: pty.device, rejected: 0 });
    // Without a token, or with a display token, the list stays private.
    expect((await hub.api('GET', '/api/bridges', undefined, null)).status).toBe(401);
  });

  it('spools while the hub is down and replays in order when it returns, losing and duplicating nothing', async () => {
    await until(() => gnss(bridge.status()).outbox.queued === 0 && gnss(bridge.status()).outbox.inflight === 0, 5000, 'everything acknowledged');
    const { dataDir } = hub;
    relay.target = undefined;
    await hub.stop({ keepData: true });
    await until(() => !gnss(bridge.status()).outbox.connected, 5000, 'the bridge to notice');

    await stream(2);
    await until(() => gnss(bridge.status()).outbox.spool.records > 0, 2000, 'readings on disk');
    const down = gnss(bridge.status()).outbox;
    expect(down.spool.spooled).toBeGreaterThan(0);
    expect(down.lastError).toBeTruthy();

    hub = await startTestHub({}, dataDir);
    relay.target = hub.mqttPort;
    await until(() => gnss(bridge.status()).outbox.spool.records === 0 && gnss(bridge.status()).outbox.queued === 0, 15_000, 'the spool to drain');
    await stream(1);
    await until(async () => (await storedFixes()).length >= sent.length, 5000, 'every fix in the hub');

    const stored = await storedFixes();
    const times = stored.map((f) => f.t);
    expect(times).toEqual(sent.map((f) => f.t));
    expect(new Set(times).size).toBe(times.length);
    const up = gnss(bridge.status()).outbox;
    expect(up.spool.replayed).toBe(up.spool.spooled);
    expect(up.spool.droppedWhenFull).toBe(0);
  });
});
