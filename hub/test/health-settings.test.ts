import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { createZoneModel, summarizeGnss, summarizeHrSession, type AthleteProfile, type GnssFix } from '@touchline/core';
import type { LiveAthlete } from '../src/engine/engine.ts';
import type { HubSettings } from '../src/schemas/settings.schema.ts';
import { ADMIN, SQUAD_MEMBER, startTestHub, type TestHub } from './test-hub.ts';

const DEFAULTS: HubSettings = { clubName: '', teamName: '', zones: [50, 60, 70, 80, 90], thresholds: { hsr: 5.5, sprint: 7 } };

interface AuditEntry {
  actor: string;
  action: string;
  detail: unknown;
}

const PROFILE: AthleteProfile = { hrMax: SQUAD_MEMBER.hrMax, hrRest: SQUAD_MEMBER.hrRest, sex: SQUAD_MEMBER.sex, massKg: SQUAD_MEMBER.massKg, ageYears: new Date().getUTCFullYear() - SQUAD_MEMBER.birthYear };

// Ten seconds of heart rate crossing several zone bounds (HRmax 190).
const T0 = Date.now() - 120_000;
const HR = [100, 110, 120, 130, 140, 150, 160, 170, 175, 180].map((bpm, i) => ({ t: T0 + i * 1000, bpm }));

// Twenty seconds eastward at 5.2 m/s: above a 5 m/s HSR threshold, below the 5.5 m/s default.
const METRES_PER_DEGREE_LON = 111_320 * Math.cos((51.5 * Math.PI) / 180);
const FIXES: GnssFix[] = Array.from({ length: 21 }, (_, i) => ({ t: T0 + i * 1000, lat: 51.5, lon: -0.12 + (i * 5.2) / METRES_PER_DEGREE_LON, speed: 5.2, hdop: 0.8, sats: 12 }));

describe('operator settings', () => {
  let t: TestHub;
  let device: MqttClient;
  let usesDefaults: string;
  let ownProfile: string;

  const settings = async () => (await t.api<HubSettings>('GET', '/api/settings')).body;
  const settingsAudit = async () => (await t.api<AuditEntry[]>('GET', '/api/audit?limit=500')).body.filter((e) => e.action === 'settings.update');
  const live = async (id: string) => (await t.api<{ athletes: LiveAthlete[] }>('GET', '/api/live')).body.athletes.find((a) => a.id === id)!;

  beforeAll(async () => {
    t = await startTestHub();
    usesDefaults = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    ownProfile = (await t.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Own Zones', number: 9, zones: [60, 70, 80, 90], thresholds: { hsr: 6, sprint: 8 } })).body.id;
    const credential = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'settings test' })).body;
    for (const [sensor, athlete] of [['strap-a', usesDefaults], ['pod-a', usesDefaults], ['strap-b', ownProfile], ['pod-b', ownProfile]] as const) {
      await t.api('PUT', `/api/sensors/${sensor}/pairing`, { athleteId: athlete });
    }
    device = await t.connectDevice({ username: credential.username, password: credential.password });
  });

  afterAll(() => t.stop());

  it('starts from the documented defaults, readable by a wall screen', async () => {
    const display = (await t.api<{ token: string }>('POST', '/api/display-tokens', { label: 'wall' })).body.token;
    const res = await t.api<HubSettings>('GET', '/api/settings', undefined, display);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULTS);
  });

  it('refuses bad values and non-admins with coded errors, changing nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ zones: [50, 60, 60, 80] }, /strictly increasing/],
      [{ thresholds: { hsr: 7, sprint: 6 } }, /sprint threshold/],
      [{ zones: [20, 60] }, /zones/],
      [{ zones: [] }, /zones/],
      [{ thresholds: { hsr: 5 } }, /sprint/],
      [{ clubName: 'x'.repeat(81) }, /clubName/],
      [{ colour: 'red' }, /colour|additional/i],
    ];
    for (const [body, message] of cases) {
      const res = await t.api<{ code: string; message: string }>('PATCH', '/api/settings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('TL_ERR_VALIDATION');
      expect(res.body.message).toMatch(message);
    }

    const display = (await t.api<{ token: string }>('POST', '/api/display-tokens', { label: 'wall 2' })).body.token;
    await t.api('POST', '/api/users', { name: 'assistant', role: 'staff', password: 'touchline-staff' });
    const staff = (await t.api<{ token: string }>('POST', '/api/auth/login', { name: 'assistant', password: 'touchline-staff' }, null)).body.token;
    expect((await t.api('PATCH', '/api/settings', { clubName: 'Nope' }, display)).status).toBe(403);
    expect((await t.api('PATCH', '/api/settings', { clubName: 'Nope' }, staff)).status).toBe(403);
    expect((await t.api('PATCH', '/api/settings', { clubName: 'Nope' }, null)).status).toBe(401);

    expect(await settings()).toEqual(DEFAULTS);
    expect(await settingsAudit()).toEqual([]);
  });

  it('applies a change, audits exactly what changed, and leaves an unchanged patch unaudited', async () => {
    const res = await t.api<HubSettings>('PATCH', '/api/settings', { clubName: 'Riverside FC', zones: [55, 65, 75, 85, 92], thresholds: { hsr: 5, sprint: 6.5 } });
    expect(res.status).toBe(200);
    const expected = { ...DEFAULTS, clubName: 'Riverside FC', zones: [55, 65, 75, 85, 92], thresholds: { hsr: 5, sprint: 6.5 } };
    expect(res.body).toEqual(expected);
    expect(await settings()).toEqual(expected);

    const audit = await settingsAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: ADMIN.name, detail: { clubName: 'Riverside FC', zones: [55, 65, 75, 85, 92], thresholds: { hsr: 5, sprint: 6.5 } } });

    expect((await t.api('PATCH', '/api/settings', { clubName: 'Riverside FC' })).status).toBe(200);
    expect(await settingsAudit()).toHaveLength(1);
  });

  it('gives the default zones and thresholds to athletes without their own', async () => {
    for (const [strap, pod] of [['strap-a', 'pod-a'], ['strap-b', 'pod-b']]) {
      for (const sample of HR) await device.publishAsync(`touchline/v1/sensors/${strap}/hr`, JSON.stringify(sample), { qos: 1 });
      await device.publishAsync(`touchline/v1/sensors/${pod}/gnss`, JSON.stringify({ fixes: FIXES }), { qos: 1 });
    }

    // Computed independently by core's batch functions on the same input.
    const withSettings = summarizeHrSession(HR, PROFILE, { zoneModel: createZoneModel('percent-hrmax', [55, 65, 75, 85, 92]) });
    const withCoreDefaults = summarizeHrSession(HR, PROFILE);
    const withOwn = summarizeHrSession(HR, PROFILE, { zoneModel: createZoneModel('percent-hrmax', [60, 70, 80, 90]) });
    expect(withSettings.secondsInZone).not.toEqual(withCoreDefaults.secondsInZone);
    const hsrWithSettings = summarizeGnss(FIXES, { highSpeedRunningSpeed: 5, sprintSpeed: 6.5 }).highSpeedRunning.distanceM;
    expect(hsrWithSettings).toBeGreaterThan(50);
    expect(summarizeGnss(FIXES).highSpeedRunning.distanceM).toBe(0);

    const a = await live(usesDefaults);
    expect(a.hr.secondsInZone).toEqual(withSettings.secondsInZone);
    expect(a.hr.zone).toBe(withSettings.zone);
    expect(a.gnss.highSpeedRunningM).toBeCloseTo(hsrWithSettings, 6);

    const b = await live(ownProfile);
    expect(b.hr.secondsInZone).toEqual(withOwn.secondsInZone);
    expect(b.gnss.highSpeedRunningM).toBe(0);
  });

  it('restarts the totals of athletes using a changed default, and only theirs', async () => {
    const before = await live(ownProfile);
    expect((await t.api('PATCH', '/api/settings', { zones: [50, 60, 70, 80, 90] })).status).toBe(200);
    const a = await live(usesDefaults);
    expect(a.hr.secondsInZone).toEqual([0, 0, 0, 0, 0, 0]);
    expect(a.hr.banisterTrimp).toBe(0);
    expect(a.gnss.distanceM).toBe(0);
    const b = await live(ownProfile);
    expect(b.hr).toEqual(before.hr);
    expect(b.gnss).toEqual(before.gnss);
  });

  it('keeps settings across a restart, and falls back to a default for a stored value that no longer fits', async () => {
    await t.hub.store.db.updateTable('settings').set({ value: '{"hsr": 50, "sprint": 60}' }).where('key', '=', 'thresholds').execute();
    const dataDir = t.dataDir;
    await t.stop({ keepData: true });
    t = await startTestHub({}, dataDir);
    expect(await settings()).toEqual({ ...DEFAULTS, clubName: 'Riverside FC' });
  });
});
