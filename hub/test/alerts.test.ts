/**
 * Alerts against a real hub: athletes, paired sensors fed over MQTT with readings whose times the
 * test sets, rules from the default set and the API. Each step publishes one message and then runs
 * one evaluation tick (`hub.alerts.evaluate()`, the same call the 1 s timer makes), so durations
 * are measured in reading time and nothing depends on how fast the machine is. The WebSocket test
 * relies on the timer itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MqttClient } from 'mqtt';
import { GnssAccumulator, summarizeHrSession, type AthleteProfile } from '@touchline/core';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

interface Alert {
  id: string;
  ruleId: string | null;
  kind: string;
  athleteId: string | null;
  sensorId: string | null;
  sessionId: string | null;
  message: string;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

interface Rule {
  id: string;
  kind: string;
  params: Record<string, number | string>;
  enabled: boolean;
  summary: string;
}

interface ErrorBody {
  code: string;
  message: string;
}

describe('alerts', () => {
  let t: TestHub;
  let device: MqttClient;
  let ada: string;
  let ben: string;
  /** Reading times start 20 minutes ago so every step stays in the past. */
  const t0 = Date.now() - 20 * 60_000;

  beforeAll(async () => {
    t = await startTestHub();
    ada = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    ben = (await t.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Ben Test', number: 9 })).body.id;
    const credential = await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-1', 'pod-1', 'strap-2'] });
    for (const [sensor, athlete] of [['strap-1', ada], ['pod-1', ada], ['strap-2', ben]] as const) {
      expect((await t.api('PUT', `/api/sensors/${sensor}/pairing`, { athleteId: athlete })).status).toBe(200);
    }
    device = await t.connectDevice({ username: credential.body.username, password: credential.body.password });
  });
  afterAll(() => t.stop());

  const publish = (sensor: string, stream: string, body: Record<string, unknown>) =>
    device.publishAsync(`touchline/v1/sensors/${sensor}/${stream}`, JSON.stringify(body), { qos: 1 });

  /** Publishes one reading, then runs one evaluation tick. */
  async function step(sensor: string, stream: string, body: Record<string, unknown>): Promise<void> {
    await publish(sensor, stream, body);
    await t.hub.alerts.evaluate();
  }

  async function alertsOf(kind: string, athleteId: string): Promise<Alert[]> {
    const res = await t.api<Alert[]>('GET', '/api/alerts?limit=1000');
    expect(res.status).toBe(200);
    return res.body.filter((a) => a.kind === kind && a.athleteId === athleteId).reverse();
  }

  it('creates the default rule set on first start', async () => {
    const rules = await t.api<Rule[]>('GET', '/api/alert-rules');
    expect(rules.status).toBe(200);
    expect(rules.body.map((r) => [r.kind, r.params, r.enabled])).toEqual([
      ['hr-above', { percentHrMax: 95, seconds: 30 }, true],
      ['sensor-lost', {}, true],
      ['battery-low', { percent: 15 }, true],
      ['store-full', {}, true],
    ]);
    expect(rules.body[0]!.summary).toBe('HR above 95 % HRmax for 30 s');
  });

  it('raises hr-above once HR stays above 95 % HRmax for 30 s of reading time, once while it persists, and again only after it cleared 2 % below', async () => {
    // HRmax 190: 95 % is 180.5 bpm and the alert re-arms below 93 % (176.7 bpm).
    const hr = (seconds: number, bpm: number) => step('strap-1', 'hr', { t: t0 + seconds * 1000, bpm });
    const count = async () => (await alertsOf('hr-above', ada)).length;

    await hr(0, 182);
    await hr(20, 182);
    await hr(21, 178); // 93.7 %: below the threshold, so the 30 s start again
    await hr(22, 182);
    await hr(51, 182); // 29 s above
    expect(await count()).toBe(0);

    await hr(52, 182); // 30 s above
    const [first, ...rest] = await alertsOf('hr-above', ada);
    expect(rest).toEqual([]);
    const hrRule = (await t.api<Rule[]>('GET', '/api/alert-rules')).body.find((r) => r.kind === 'hr-above')!;
    expect(first).toMatchObject({ ruleId: hrRule.id, athleteId: ada, sensorId: null, sessionId: null, acknowledgedAt: null, acknowledgedBy: null });
    expect(first!.message).toBe('#7 Ada Test: HR above 95 % HRmax for 30 s (now 182 bpm)');

    await hr(70, 185);
    await hr(90, 183);
    await hr(91, 178); // dips under 95 % but not under 93 %: not cleared
    await hr(92, 182);
    await hr(130, 182); // above again for 38 s
    expect(await count()).toBe(1);

    await hr(131, 176); // 92.6 %: cleared
    await hr(132, 182);
    await hr(161, 182);
    expect(await count()).toBe(1);
    await hr(162, 184);
    const alerts = await alertsOf('hr-above', ada);
    expect(alerts).toHaveLength(2);
    expect(alerts[1]!.message).toBe('#7 Ada Test: HR above 95 % HRmax for 30 s (now 184 bpm)');
  });

  it('raises battery-low per sensor below 15 %, re-arming only once the battery is back to 20 %', async () => {
    const battery = (seconds: number, pct: number) => step('strap-1', 'battery', { t: t0 + seconds * 1000, pct });
    await battery(200, 40);
    await battery(201, 15);
    expect(await alertsOf('battery-low', ada)).toEqual([]);
    await battery(202, 14);
    let alerts = await alertsOf('battery-low', ada);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ sensorId: 'strap-1' });
    expect(alerts[0]!.message).toBe('#7 Ada Test: battery of strap-1 at 14 % (below 15 %); swap or charge it');
    await battery(203, 12);
    await battery(204, 19);
    await battery(205, 13);
    expect(await alertsOf('battery-low', ada)).toHaveLength(1);
    await battery(206, 20);
    await battery(207, 9);
    alerts = await alertsOf('battery-low', ada);
    expect(alerts.map((a) => a.sensorId)).toEqual(['strap-1', 'strap-1']);
  });

  it('raises speed-above when the live speed (core GNSS pipeline) passes the threshold, and again after it fell 0.5 m/s below', async () => {
    const rule = await t.api<Rule>('POST', '/api/alert-rules', { kind: 'speed-above', params: { speed: 8 } });
    expect(rule.status).toBe(200);
    expect(rule.body.summary).toBe('Speed above 8 m/s');

    // The same fixes through core's accumulator, independently of the hub, give the expected speed.
    const reference = new GnssAccumulator();
    const metresPerDegree = 111_195;
    let lat = 51.5;
    let expected = 0;
    let armed = true;
    let wasAbove = false;
    let crossedWithoutClearing = 0;
    // 7.8 m/s dips under the threshold without clearing it; 3 m/s clears it.
    const speeds = [5, 6, 9.5, 9.5, 9.5, 7.8, 7.8, 9.5, 9.5, 3, 3, 3, 9.5, 9.5, 9.5];
    for (const [i, speed] of speeds.entries()) {
      lat += i === 0 ? 0 : speed / metresPerDegree;
      const fix = { t: t0 + 300_000 + i * 1000, lat, lon: -0.12, speed };
      reference.push(fix);
      const live = reference.snapshot().speed;
      if (live < 8 - 0.5) armed = true;
      if (live > 8 && !wasAbove && !armed) crossedWithoutClearing++;
      wasAbove = live > 8;
      if (armed && live > 8) {
        armed = false;
        expected++;
      }
      await step('pod-1', 'gnss', fix);
      expect((await alertsOf('speed-above', ada)).length, `after fix ${i} (speed ${live.toFixed(2)} m/s)`).toBe(expected);
    }
    expect(expected).toBe(2);
    expect(crossedWithoutClearing).toBe(1);
    const [alert] = await alertsOf('speed-above', ada);
    expect(alert!.message).toMatch(/^#7 Ada Test: speed \d+(\.\d)? m\/s, above 8 m\/s$/);
  });

  it('raises load-reached once when the session Banister TRIMP (core batch form on the same readings) reaches the threshold', async () => {
    const profile: AthleteProfile = { hrMax: 190, hrRest: 50, sex: 'female', massKg: 60, ageYears: new Date().getUTCFullYear() - 2000 };
    const samples = Array.from({ length: 80 }, (_, i) => ({ t: t0 + i * 1000, bpm: 150 + (i % 17) }));
    const trimpAfter = samples.map((_, i) => summarizeHrSession(samples.slice(0, i + 1), profile).banisterTrimp);
    const threshold = (trimpAfter[59]! + trimpAfter[60]!) / 2;
    const rule = await t.api<Rule>('POST', '/api/alert-rules', { kind: 'load-reached', params: { metric: 'banister-trimp', value: threshold } });
    expect(rule.status).toBe(200);

    for (const [i, sample] of samples.entries()) {
      await step('strap-2', 'hr', sample);
      if (i === 59 || i === 60 || i === 79) expect((await alertsOf('load-reached', ben)).length, `after reading ${i}`).toBe(i < 60 ? 0 : 1);
    }
    const [alert] = await alertsOf('load-reached', ben);
    expect(alert!.message).toBe(`#9 Ben Test: session TRIMP (Banister) reached ${Math.round(threshold * 10) / 10} (now ${Math.round(trimpAfter[60]! * 10) / 10})`);
  });

  it('acknowledges through the API: staff may, a wall screen may not, twice is a conflict, and it is audited', async () => {
    const [alert] = await alertsOf('hr-above', ada);
    const display = await t.api<{ token: string }>('POST', '/api/display-tokens', { label: 'wall' });
    const refused = await t.api<ErrorBody>('POST', `/api/alerts/${alert!.id}/ack`, undefined, display.body.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('TL_ERR_FORBIDDEN');
    // A wall screen may read them, though.
    expect((await t.api('GET', '/api/alerts?active=true', undefined, display.body.token)).status).toBe(200);

    await t.api('POST', '/api/users', { name: 'assistant', role: 'staff', password: 'touchline-staff' });
    const staff = (await t.api<{ token: string }>('POST', '/api/auth/login', { name: 'assistant', password: 'touchline-staff' }, null)).body.token;
    const acked = await t.api<Alert>('POST', `/api/alerts/${alert!.id}/ack`, undefined, staff);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: alert!.id, acknowledgedBy: 'assistant' });
    expect(acked.body.acknowledgedAt).toBeGreaterThanOrEqual(alert!.raisedAt);

    const again = await t.api<ErrorBody>('POST', `/api/alerts/${alert!.id}/ack`, undefined, staff);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TL_ERR_CONFLICT');
    expect(again.body.message).toContain('assistant');
    expect((await t.api<ErrorBody>('POST', '/api/alerts/no-such-alert/ack')).body.code).toBe('TL_ERR_NOT_FOUND');

    const active = (await t.api<Alert[]>('GET', '/api/alerts?active=true')).body;
    expect(active.map((a) => a.id)).not.toContain(alert!.id);
    expect(active.length).toBeGreaterThan(0);
    expect(active.every((a) => a.acknowledgedAt === null)).toBe(true);
    // The live snapshot lists exactly the unacknowledged alerts.
    const live = await t.api<{ alerts: Alert[] }>('GET', '/api/live');
    expect(live.body.alerts.map((a) => a.id).sort()).toEqual(active.map((a) => a.id).sort());
    expect((await t.api<Alert[]>('GET', '/api/alerts?limit=1')).body).toHaveLength(1);

    const audit = await t.api<{ actor: string; action: string; target: string }[]>('GET', '/api/audit?limit=50');
    expect(audit.body).toContainEqual(expect.objectContaining({ actor: 'assistant', action: 'alert.ack', target: alert!.id }));
  });

  it('pushes a new alert and its acknowledgement to live screens over the WebSocket, raised by the 1 s timer', async () => {
    const frames: { type: string; alert?: Alert; alerts?: Alert[] }[] = [];
    const ws = new WebSocket(`${t.httpUrl.replace('http', 'ws')}/api/live/ws?token=${t.adminToken}`);
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
    await until(() => frames.length > 0, 5000, 'snapshot');
    expect(frames[0]!.type).toBe('snapshot');
    expect(frames[0]!.alerts!.length).toBeGreaterThan(0);

    await publish('pod-1', 'battery', { t: t0 + 400_000, pct: 5 });
    const isNew = (f: (typeof frames)[number]) => f.type === 'alert' && f.alert!.kind === 'battery-low' && f.alert!.sensorId === 'pod-1';
    await until(() => frames.some(isNew), 5000, 'the battery alert on the live feed');
    const raised = frames.find(isNew)!.alert!;
    expect(raised).toMatchObject({ athleteId: ada, acknowledgedAt: null });

    expect((await t.api('POST', `/api/alerts/${raised.id}/ack`)).status).toBe(200);
    await until(() => frames.some((f) => f.type === 'alert' && f.alert!.id === raised.id && f.alert!.acknowledgedAt !== null), 5000, 'the acknowledgement');
    ws.close();
  });

  it('stamps alerts raised during a session with its id, and lists them by session', async () => {
    const session = await t.api<{ id: string }>('POST', '/api/sessions', { name: 'Alerts drill', kind: 'training' });
    expect(session.status).toBe(200);
    await step('strap-2', 'battery', { t: t0 + 500_000, pct: 8 });
    const inSession = await t.api<Alert[]>('GET', `/api/alerts?sessionId=${session.body.id}`);
    expect(inSession.body).toHaveLength(1);
    expect(inSession.body[0]).toMatchObject({ kind: 'battery-low', athleteId: ben, sensorId: 'strap-2', sessionId: session.body.id });
    expect((await t.api('POST', `/api/sessions/${session.body.id}/stop`, {})).status).toBe(200);
  });

  it('validates rules: params are checked against the kind and the error names the field; changes need admin and are audited', async () => {
    const bad: [unknown, string][] = [
      [{ kind: 'hr-above', params: { percentHrMax: 300, seconds: 30 } }, 'params.percentHrMax'],
      [{ kind: 'hr-above', params: { percentHrMax: 95 } }, 'params.seconds'],
      [{ kind: 'battery-low', params: { percent: 10, volts: 3 } }, 'params.volts'],
      [{ kind: 'load-reached', params: { metric: 'goals', value: 3 } }, 'params.metric'],
      [{ kind: 'speed-above', params: { speed: 'fast' } }, 'params.speed'],
      [{ kind: 'earthquake', params: {} }, 'kind'],
    ];
    for (const [body, field] of bad) {
      const res = await t.api<ErrorBody>('POST', '/api/alert-rules', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('TL_ERR_VALIDATION');
      expect(res.body.message).toContain(field);
    }

    const created = await t.api<Rule>('POST', '/api/alert-rules', { kind: 'load-reached', params: { metric: 'distance', value: 5000 }, enabled: false });
    expect(created.body).toMatchObject({ kind: 'load-reached', enabled: false, summary: 'Session distance reaches 5000 m' });
    const id = created.body.id;

    const badPatch = await t.api<ErrorBody>('PATCH', `/api/alert-rules/${id}`, { params: { metric: 'distance', value: -1 } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.message).toContain('params.value');

    const patched = await t.api<Rule>('PATCH', `/api/alert-rules/${id}`, { params: { metric: 'sprint-efforts', value: 12 }, enabled: true });
    expect(patched.body).toMatchObject({ enabled: true, params: { metric: 'sprint-efforts', value: 12 }, summary: 'Session sprint efforts reaches 12' });
    expect((await t.api<Rule>('GET', `/api/alert-rules/${id}`)).body.params).toEqual({ metric: 'sprint-efforts', value: 12 });

    const staff = (await t.api<{ token: string }>('POST', '/api/auth/login', { name: 'assistant', password: 'touchline-staff' }, null)).body.token;
    expect((await t.api<ErrorBody>('DELETE', `/api/alert-rules/${id}`, undefined, staff)).body.code).toBe('TL_ERR_FORBIDDEN');
    expect((await t.api<ErrorBody>('GET', '/api/alert-rules', undefined, staff)).status).toBe(403);

    expect((await t.api('DELETE', `/api/alert-rules/${id}`)).status).toBe(200);
    expect((await t.api<ErrorBody>('GET', `/api/alert-rules/${id}`)).body.code).toBe('TL_ERR_NOT_FOUND');
    expect((await t.api<ErrorBody>('DELETE', `/api/alert-rules/${id}`)).body.code).toBe('TL_ERR_NOT_FOUND');

    const audit = (await t.api<{ action: string; target: string }[]>('GET', '/api/audit?limit=100')).body.filter((e) => e.target === id).map((e) => e.action);
    expect(audit.sort()).toEqual(['alert-rule.create', 'alert-rule.delete', 'alert-rule.update']);
  });
});
