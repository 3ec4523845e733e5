import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

const run = promisify(execFile);

describe('floods and third-party MQTT tools', () => {
  let t: TestHub;
  let credential: { username: string; password: string };
  let athleteId: string;

  beforeAll(async () => {
    t = await startTestHub({ mqtt: { maxMessagesPerSecondPerClient: 50 } });
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'gateway' })).body;
    await t.api('PUT', '/api/sensors/strap-calm/pairing', { athleteId });
  });
  afterAll(() => t.stop());

  it('drops what a flooding client sends above its rate, counts it, and keeps serving a calm device', async () => {
    const flooder = await t.connectDevice({ ...credential, clientId: 'flooder' });
    const calm = await t.connectDevice({ ...credential, clientId: 'calm' });
    const before = t.hub.ingest.rejects.snapshot().byCode.TL_ERR_INGEST_RATE ?? 0;

    const burst = 2000;
    for (let i = 0; i < burst; i++) flooder.publish('touchline/v1/sensors/strap-flood/hr', '{"bpm": 120}', { qos: 0 });
    const t0 = Date.now() - 1000;
    await calm.publishAsync('touchline/v1/sensors/strap-calm/hr', JSON.stringify({ t: t0, bpm: 133 }), { qos: 1 });

    await until(() => t.hub.ingest.rejects.snapshot().total - before + t.hub.ingest.accepted >= burst, 10_000, 'the burst to be processed');
    const rateRejects = (t.hub.ingest.rejects.snapshot().byCode.TL_ERR_INGEST_RATE ?? 0) - before;
    // A token bucket of 50 lets at most 50 plus what refills during the burst through.
    expect(rateRejects).toBeGreaterThan(burst / 2);
    expect(t.hub.ingest.rejects.snapshot().bySensor['strap-flood']!.TL_ERR_INGEST_RATE).toBe(rateRejects);
    const live = await t.api<{ athletes: { id: string; hr: { bpm: number } }[] }>('GET', '/api/live');
    expect(live.body.athletes.find((a) => a.id === athleteId)!.hr.bpm).toBe(133);
    expect(calm.connected && flooder.connected).toBe(true);
  });

  it('accepts readings from mosquitto_pub exactly as the docs show', async () => {
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(t.mqttPort), '-u', credential.username, '-P', credential.password, '-q', '1', '-t', 'touchline/v1/sensors/strap-calm/hr', '-m', '{"bpm": 142, "rr": [412, 398]}']);
    await until(async () => {
      const live = await t.api<{ athletes: { id: string; hr: { bpm: number } }[] }>('GET', '/api/live');
      return live.body.athletes.find((a) => a.id === athleteId)!.hr.bpm === 142;
    }, 5000, 'bpm 142 from mosquitto_pub');
  });

  it('refuses an MQTT 5 client with "unacceptable protocol version" as documented', async () => {
    const result = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(t.mqttPort), '-V', 'mqttv5', '-u', credential.username, '-P', credential.password, '-t', 'touchline/v1/sensors/strap-calm/hr', '-m', '{"bpm": 99}']).catch((err: { stderr: string }) => err);
    expect(String((result as { stderr: string }).stderr)).toMatch(/protocol version/i);
  });
});
