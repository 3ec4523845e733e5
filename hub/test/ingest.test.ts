import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { SQUAD_MEMBER, startTestHub, type TestHub } from './test-hub.ts';

interface Rejects {
  total: number;
  byCode: Record<string, number>;
  bySensor: Record<string, Record<string, number>>;
}

describe('MQTT ingest', () => {
  let t: TestHub;
  let device: MqttClient;
  let athleteId: string;

  beforeAll(async () => {
    t = await startTestHub({ mqtt: { maxPayloadBytes: 2048 } });
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    const credential = await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-1', 'pod-1'], label: 'test straps' });
    expect(credential.status).toBe(200);
    device = await t.connectDevice({ username: credential.body.username, password: credential.body.password, clientId: 'strap-1' });
  });

  afterAll(() => t.stop());

  it('refuses anonymous and wrongly authenticated devices outside demo mode', async () => {
    await expect(t.connectDevice()).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(t.connectDevice({ username: 'device-nope', password: 'wrong' })).rejects.toThrow(/Bad username or password/i);
  });

  it('lists an unknown sensor for pairing, then attributes its readings to the athlete', async () => {
    await device.publishAsync('touchline/v1/sensors/strap-1/hr', JSON.stringify({ bpm: 120 }), { qos: 1 });
    const sensors = await t.api<{ id: string; athleteId: string | null }[]>('GET', '/api/sensors?unpaired=true');
    expect(sensors.body.map((s) => s.id)).toContain('strap-1');

    const paired = await t.api<{ athleteId: string }>('PUT', '/api/sensors/strap-1/pairing', { athleteId });
    expect(paired.body.athleteId).toBe(athleteId);

    const t0 = Date.now() - 10_000;
    for (let i = 0; i < 5; i++) {
      await device.publishAsync('touchline/v1/sensors/strap-1/hr', JSON.stringify({ t: t0 + i * 1000, bpm: 150 + i, rr: [400, 395] }), { qos: 1 });
    }
    const live = await t.api<{ athletes: { id: string; hr: { bpm: number; percentHrMax: number } }[] }>('GET', '/api/live');
    const ada = live.body.athletes.find((a) => a.id === athleteId)!;
    expect(ada.hr.bpm).toBe(154);
    expect(ada.hr.percentHrMax).toBeCloseTo((154 / 190) * 100, 6);

    // The QoS 1 acknowledgement came after the group commit, so the readings are already on disk.
    const stored = t.hub.samples.readAthlete(athleteId, 'hr', t0, t0 + 10_000);
    expect(stored.map((s) => (s.reading as { bpm: number }).bpm)).toEqual([150, 151, 152, 153, 154]);
  });

  it('rejects bad messages of every kind, counts them per sensor and reason, and keeps the device flowing', async () => {
    const topic = 'touchline/v1/sensors/strap-1/hr';
    const bad: [string, string | Buffer, string][] = [
      [topic, '{"bpm": 140', 'TL_ERR_INGEST_JSON'],
      [topic, '[1,2]', 'TL_ERR_INGEST_JSON'],
      [topic, '{"bpm": "fast"}', 'TL_ERR_INGEST_SCHEMA'],
      [topic, '{"bpm": 400}', 'TL_ERR_INGEST_SCHEMA'],
      [topic, '{"bpm": 140, "rr": [400, -5]}', 'TL_ERR_INGEST_SCHEMA'],
      [topic, '{"bpm": 140, "t": 12}', 'TL_ERR_INGEST_SCHEMA'],
      [topic, JSON.stringify({ bpm: 140, pad: 'x'.repeat(3000) }), 'TL_ERR_INGEST_OVERSIZE'],
      ['touchline/v1/sensors/strap-1/temperature', '{"c": 20}', 'TL_ERR_INGEST_TOPIC'],
      ['touchline/v1/sensors/bad id!/hr', '{"bpm": 100}', 'TL_ERR_INGEST_TOPIC'],
      ['touchline/v1/sensors/pod-1/gnss', '{"lat": 91, "lon": 0}', 'TL_ERR_INGEST_SCHEMA'],
      ['touchline/v1/sensors/someone-else/hr', '{"bpm": 100}', 'TL_ERR_INGEST_UNAUTHORIZED'],
      // flags 0x01 announce a 16-bit heart rate, but only one byte follows
      ['touchline/v1/sensors/strap-1/raw/ble-hrm', Buffer.from([0x01, 0x40]), 'TL_ERR_INGEST_SCHEMA'],
    ];
    const before = (await t.api<Rejects>('GET', '/api/ingest/rejects')).body;
    for (const [badTopic, payload] of bad) await device.publishAsync(badTopic, payload, { qos: 1 });

    const after = (await t.api<Rejects>('GET', '/api/ingest/rejects')).body;
    expect(after.total - before.total).toBe(bad.length);
    const expected: Record<string, number> = {};
    for (const [, , code] of bad) expected[code] = (expected[code] ?? 0) + 1;
    for (const [code, n] of Object.entries(expected)) expect((after.byCode[code] ?? 0) - (before.byCode[code] ?? 0)).toBe(n);
    expect(after.bySensor['strap-1']!.TL_ERR_INGEST_JSON).toBeGreaterThanOrEqual(2);
    expect(after.bySensor['someone-else']!.TL_ERR_INGEST_UNAUTHORIZED).toBe(1);

    // The same connection still delivers good data, including raw BLE bytes (flags 0x10: uint8 HR + RR).
    expect(device.connected).toBe(true);
    await device.publishAsync('touchline/v1/sensors/strap-1/raw/ble-hrm', Buffer.from([0x10, 0x8c, 0x00, 0x02]), { qos: 1 });
    const live = await t.api<{ athletes: { id: string; hr: { bpm: number } }[] }>('GET', '/api/live');
    expect(live.body.athletes.find((a) => a.id === athleteId)!.hr.bpm).toBe(0x8c);
  });

});
