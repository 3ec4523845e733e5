import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, until, type TestHub } from './test-hub.ts';

/** The smallest status a bridge may publish (firmware-bridge/src/bridge.ts BridgeStatus). */
function status(bridgeId: string, state = 'running') {
  return {
    bridgeId,
    version: '0.1.0',
    t: Date.now(),
    state,
    startedAt: Date.now() - 1000,
    hub: { url: 'mqtt://hub:1883/' },
    adapters: [
      {
        id: 'ble',
        transport: 'ble',
        state: 'running',
        capabilities: ['hr', 'rr'],
        version: '0.1.0',
        devices: [{ sensorId: 'ble-a0:9e:1a:12:34:56', state: 'streaming', rssi: -67, batteryPct: 80, readings: 12, rejected: 0 }],
        omittedDevices: 0,
        counters: { connections: 1 },
        readings: { accepted: 12, rejected: {}, droppedRr: 0 },
        outbox: {
          connected: true,
          published: 12,
          acknowledged: 12,
          inflight: 0,
          queued: 0,
          spool: { policy: 'drop-oldest', maxBytes: 1, bytes: 0, records: 0, spooled: 0, replayed: 0, droppedWhenFull: 0, corruptRecords: 0 },
        },
      },
    ],
  };
}

describe('firmware bridge status', () => {
  let t: TestHub;
  let device: MqttClient;

  beforeAll(async () => {
    t = await startTestHub();
    const credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'bridge' })).body;
    device = await t.connectDevice({ username: credential.username, password: credential.password });
  });
  afterAll(() => t.stop());

  const bridges = async () => (await t.api<{ bridges: { bridgeId: string; online: boolean; status: { state: string } }[]; rejected: number }>('GET', '/api/bridges')).body;

  it('keeps the latest valid status of each bridge, retained for MQTT tools, and lists it for staff', async () => {
    await device.publishAsync('touchline/v1/bridges/pitch-1/status', JSON.stringify(status('pitch-1')), { qos: 1, retain: true });
    await device.publishAsync('touchline/v1/bridges/pitch-1/status', JSON.stringify(status('pitch-1')), { qos: 1, retain: true });
    const list = await bridges();
    expect(list.bridges.map((b) => [b.bridgeId, b.online])).toEqual([['pitch-1', true]]);

    const watcher = await t.connectDevice({ username: device.options.username as string, password: device.options.password as string, clientId: 'watcher' });
    const seen: string[] = [];
    watcher.on('message', (topic) => seen.push(topic));
    await watcher.subscribeAsync('touchline/v1/bridges/+/status');
    await until(() => seen.length === 1, 2000, 'the retained status');
    expect(seen).toEqual(['touchline/v1/bridges/pitch-1/status']);
  });

  it('refuses, counts and neither forwards nor retains malformed statuses', async () => {
    const before = (await bridges()).rejected;
    await device.publishAsync('touchline/v1/bridges/pitch-2/status', 'not json', { qos: 1, retain: true });
    await device.publishAsync('touchline/v1/bridges/pitch-2/status', JSON.stringify({ ...status('pitch-2'), adapters: 'many' }), { qos: 1, retain: true });
    // The id in the topic and in the status must agree.
    await device.publishAsync('touchline/v1/bridges/pitch-3/status', JSON.stringify(status('pitch-2')), { qos: 1, retain: true });
    const after = await bridges();
    expect(after.rejected - before).toBe(3);
    expect(after.bridges.map((b) => b.bridgeId)).toEqual(['pitch-1']);
    const late = await t.connectDevice({ username: device.options.username as string, password: device.options.password as string, clientId: 'late' });
    const seen: string[] = [];
    late.on('message', (topic) => seen.push(topic));
    await late.subscribeAsync('touchline/v1/bridges/+/status');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual(['touchline/v1/bridges/pitch-1/status']);
  });

  it('shows a bridge that said goodbye, or vanished, as offline', async () => {
    await device.publishAsync('touchline/v1/bridges/pitch-1/status', JSON.stringify(status('pitch-1', 'offline')), { qos: 1, retain: true });
    expect((await bridges()).bridges[0]).toMatchObject({ bridgeId: 'pitch-1', online: false, status: { state: 'offline' } });
  });

  it('lists bridges to staff only', async () => {
    expect((await t.api('GET', '/api/bridges', undefined, null)).status).toBe(401);
  });
});
