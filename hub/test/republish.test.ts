import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { summarizeHrSession, type AthleteProfile } from '@touchline/core';
import type { LiveAthlete } from '../src/engine/engine.ts';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

interface Received {
  topic: string;
  state: LiveAthlete | null;
  retain: boolean;
}

const PROFILE: AthleteProfile = { hrMax: SQUAD_MEMBER.hrMax, hrRest: SQUAD_MEMBER.hrRest, sex: SQUAD_MEMBER.sex, massKg: SQUAD_MEMBER.massKg, ageYears: new Date().getUTCFullYear() - SQUAD_MEMBER.birthYear };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('derived live state republished over MQTT', () => {
  let t: TestHub;
  let credential: { username: string; password: string };
  let device: MqttClient;
  let athleteId: string;
  let benchId: string;
  let subscriberCount = 0;

  /** A tool (Node-RED, Home Assistant…) subscribed to every athlete's live topic. */
  async function subscribe(topic = 'touchline/v1/athletes/+/live') {
    const client = await t.connectDevice({ username: credential.username, password: credential.password, clientId: `tool-${++subscriberCount}` });
    const received: Received[] = [];
    client.on('message', (topic, payload, packet) => {
      received.push({ topic, state: payload.length ? (JSON.parse(payload.toString('utf8')) as LiveAthlete) : null, retain: packet.retain });
    });
    await client.subscribeAsync(topic, { qos: 0 });
    return { client, received };
  }

  const forAthlete = (received: Received[], id: string) => received.filter((m) => m.topic === `touchline/v1/athletes/${id}/live`);

  beforeAll(async () => {
    t = await startTestHub();
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    benchId = (await t.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Bea Bench', number: 12 })).body.id;
    credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-r1', 'strap-r2'], label: 'republish test' })).body;
    await t.api('PUT', '/api/sensors/strap-r1/pairing', { athleteId });
    await t.api('PUT', '/api/sensors/strap-r2/pairing', { athleteId: benchId });
    device = await t.connectDevice({ username: credential.username, password: credential.password, clientId: 'strap-r1' });
  });

  afterAll(() => t.stop());

  it('publishes each athlete\'s derived state after readings arrive, coalesced', async () => {
    const { received } = await subscribe();
    const t0 = Date.now() - 30_000;
    const samples = [140, 141, 142, 143, 144, 146, 148, 150].map((bpm, i) => ({ t: t0 + i * 1000, bpm }));
    for (const sample of samples) await device.publishAsync('touchline/v1/sensors/strap-r1/hr', JSON.stringify(sample), { qos: 1 });

    await until(() => forAthlete(received, athleteId).some((m) => m.state?.hr.bpm === 150), 5000, 'the derived state with the last reading');
    const last = forAthlete(received, athleteId).find((m) => m.state?.hr.bpm === 150)!.state!;
    // Checked against core's batch summary of the same readings, computed here.
    const expected = summarizeHrSession(samples, PROFILE);
    expect(last).toMatchObject({ id: athleteId, name: SQUAD_MEMBER.name, signal: 'live', t: samples.at(-1)!.t, sensors: ['strap-r1'] });
    expect(last.hr.percentHrMax).toBeCloseTo((150 / SQUAD_MEMBER.hrMax) * 100, 9);
    expect(last.hr.zone).toBe(expected.zone);
    expect(last.hr.secondsInZone).toEqual(expected.secondsInZone);
    expect(last.hr.banisterTrimp).toBeCloseTo(expected.banisterTrimp, 9);
    // Eight readings, far fewer messages: changes are coalesced to at most one a second.
    expect(forAthlete(received, athleteId).filter((m) => m.state?.signal === 'live').length).toBeLessThan(samples.length);
  });

  it('publishes nothing when a reading leaves the state unchanged', async () => {
    const { received } = await subscribe();
    await until(() => forAthlete(received, athleteId).length === 1, 5000, 'the retained state');
    const t1 = Date.now() - 5_000;
    await device.publishAsync('touchline/v1/sensors/strap-r1/hr', JSON.stringify({ t: t1, bpm: 152 }), { qos: 1 });
    await until(() => forAthlete(received, athleteId).some((m) => m.state?.hr.bpm === 152), 5000, 'bpm 152');
    const count = forAthlete(received, athleteId).length;
    // A duplicate of that reading changes nothing; after the one-second window a publish would have come.
    await device.publishAsync('touchline/v1/sensors/strap-r1/hr', JSON.stringify({ t: t1, bpm: 152 }), { qos: 1 });
    await sleep(1500);
    expect(forAthlete(received, athleteId)).toHaveLength(count);
    await device.publishAsync('touchline/v1/sensors/strap-r1/hr', JSON.stringify({ t: t1 + 1000, bpm: 153 }), { qos: 1 });
    await until(() => forAthlete(received, athleteId).length === count + 1, 5000, 'the next change');
    expect(forAthlete(received, athleteId).at(-1)!.state!.hr.bpm).toBe(153);
  });

  it('keeps a retained copy for a tool that subscribes later, for every athlete', async () => {
    const { received } = await subscribe();
    await until(() => forAthlete(received, athleteId).length > 0 && forAthlete(received, benchId).length > 0, 5000, 'retained states');
    const [ada] = forAthlete(received, athleteId);
    expect(ada!.retain).toBe(true);
    expect(ada!.state!.hr.bpm).toBe(153);
    // An athlete with no readings yet is still announced, with no signal.
    const [bench] = forAthlete(received, benchId);
    expect(bench!.state).toMatchObject({ id: benchId, signal: 'none', hr: { bpm: null } });
  });

  it('clears the retained copy of an archived athlete', async () => {
    expect((await t.api('DELETE', `/api/athletes/${benchId}`)).status).toBe(200);
    const { received } = await subscribe();
    // Retained messages are delivered on subscription, before anything published afterwards.
    await device.publishAsync('touchline/v1/sensors/strap-r1/hr', JSON.stringify({ t: Date.now(), bpm: 155 }), { qos: 1 });
    await until(() => forAthlete(received, athleteId).some((m) => m.state?.hr.bpm === 155), 5000, 'a fresh state');
    expect(forAthlete(received, benchId)).toEqual([]);
  });

  it('still refuses a device publishing on the hub\'s own topics', async () => {
    const intruder = await t.connectDevice({ username: credential.username, password: credential.password, clientId: 'intruder' });
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish(`touchline/v1/athletes/${athleteId}/live`, '{"hr":{"bpm":1}}', { qos: 1 });
    await closed;
    const { received } = await subscribe();
    await until(() => forAthlete(received, athleteId).length > 0, 5000, 'the retained state');
    expect(forAthlete(received, athleteId)[0]!.state!.hr.bpm).toBe(155);
  });
});
