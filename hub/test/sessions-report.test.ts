/**
 * A recorded session with known readings: Ada runs north at 3, then 6, then 8 m/s while her heart
 * rate steps 120 → 160 → 180 bpm, Ben's strap holds 150 bpm. The report is checked against numbers
 * derived by hand and against core's batch functions run here on the same stored readings; the CSV
 * and FIT exports are read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decoder, Stream } from '@garmin/fitsdk';
import {
  correctArtifacts,
  EARTH_MEAN_RADIUS_M,
  hrvTimeDomain,
  importWorkout,
  PlayerLoadAccumulator,
  summarizeGnss,
  summarizeHrSession,
  type AthleteProfile,
} from '@touchline/core';
import { SQUAD_MEMBER, startTestHub, type TestHub } from './test-hub.ts';
import type { GnssReading, HrReading, ImuReading, Reading, ReadingStream } from '../src/ingest/ingest-contract.ts';

const SECONDS = 300;
// Whole seconds, half an hour ago: FIT records and the CSV's ISO times then line up exactly.
const BASE = Math.floor(Date.now() / 1000) * 1000 - 30 * 60_000;
const at = (s: number) => BASE + s * 1000;

const adaBpm = (i: number) => (i < 120 ? 120 : i < 240 ? 160 : 180);
const adaRr = (i: number) => (i < 120 ? [490, 510] : i < 240 ? [370, 380, 375] : [330, 340, 330]);
/** Speed (m/s) over the step that ends at fix i, also the speed the pod reports at fix i. */
const stepSpeed = (i: number) => (i <= 120 ? 3 : i <= 240 ? 6 : 8);
const METRES_PER_DEGREE = (EARTH_MEAN_RADIUS_M * Math.PI) / 180;
const LAT0 = 51.5;
const LON = -0.1;
const latitudes = [LAT0];
for (let i = 1; i <= SECONDS; i++) latitudes.push(latitudes[i - 1]! + stepSpeed(i) / METRES_PER_DEGREE);

const BEN = { ...SQUAD_MEMBER, name: 'Ben, "the wall" Test', number: 4, sex: 'male' as const, hrMax: 200, hrRest: 60, massKg: 75, birthYear: 1995 };

interface WindowMetrics {
  hr: { samples: number; durationS: number; meanBpm: number; maxBpm: number; secondsInZone: number[]; banisterTrimp: number; edwardsTrimp: number; energyKcal: number | null } | null;
  hrv: { beats: number; correctedBeats: number; meanRrMs: number; sdnnMs: number; rmssdMs: number; pnn50Pct: number; sd1Ms: number; sd2Ms: number } | null;
  gnss: {
    fixes: number;
    durationS: number;
    distanceM: number;
    maxSpeed: number;
    highSpeedRunningM: number;
    highSpeedRunningEfforts: number;
    sprintM: number;
    sprintEfforts: number;
    accelerations: number;
    decelerations: number;
    averageMetabolicPower: number | null;
    equivalentDistanceM: number;
    speedZones: { name: string; distanceM: number; durationS: number }[];
  } | null;
  playerLoad: { playerLoad: number; durationS: number; perMinute: number | null } | null;
}

interface TeamWindow {
  athletes: number;
  mean: WindowMetrics;
  total: { hr: { edwardsTrimp: number; banisterTrimp: number; secondsInZone: number[] } | null; gnss: { distanceM: number; highSpeedRunningM: number } | null; playerLoad: { playerLoad: number } | null };
}

interface Report {
  session: { id: string; drills: { id: string; name: string; startedAt: number; endedAt: number }[] };
  from: number;
  to: number;
  athletes: { athleteId: string; name: string; hrZoneLowerBoundsBpm: number[]; session: WindowMetrics; drills: { drillId: string; name: string; from: number; to: number; metrics: WindowMetrics }[]; rpe: { rpe: number; durationMin: number; load: number } | null }[];
  team: { session: TeamWindow; drills: { name: string; team: TeamWindow }[]; rpe: { athletes: number; mean: { rpe: number; load: number }; total: { load: number; durationMin: number } } | null };
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('session report and exports from stored readings', () => {
  let t: TestHub;
  let adaId: string;
  let benId: string;
  let sessionId: string;
  let report: Report;

  const stored = <S extends ReadingStream>(athleteId: string, stream: S) =>
    t.hub.samples.readAthlete(athleteId, stream, at(0), at(SECONDS)).map((s) => s.reading as Extract<Reading, { stream: S }>);
  const profileOf = (a: Pick<typeof SQUAD_MEMBER, 'hrMax' | 'hrRest' | 'massKg' | 'birthYear'> & { sex: 'male' | 'female' }): AthleteProfile => ({ hrMax: a.hrMax, hrRest: a.hrRest, sex: a.sex, massKg: a.massKg, ageYears: new Date(BASE).getUTCFullYear() - a.birthYear });

  beforeAll(async () => {
    t = await startTestHub({ mqtt: { maxMessagesPerSecondPerClient: 100_000 } });
    adaId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    benId = (await t.api<{ id: string }>('POST', '/api/athletes', BEN)).body.id;
    const credential = await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-a', 'pod-a', 'strap-b'] });
    for (const [sensor, athleteId] of [['strap-a', adaId], ['pod-a', adaId], ['strap-b', benId]] as const) {
      expect((await t.api('PUT', `/api/sensors/${sensor}/pairing`, { athleteId })).status).toBe(200);
    }
    const device = await t.connectDevice({ username: credential.body.username, password: credential.body.password });

    const start = await t.api<{ id: string }>('POST', '/api/sessions', { name: 'Thursday session', kind: 'training', at: at(0) });
    expect(start.status).toBe(200);
    sessionId = start.body.id;
    const path = `/api/sessions/${sessionId}`;
    await t.api('POST', `${path}/drills`, { name: 'Warm-up', at: at(0) });
    const possession = await t.api<{ currentDrill: { id: string } }>('POST', `${path}/drills`, { name: 'Possession', at: at(120) });
    await t.api('POST', `${path}/drills/${possession.body.currentDrill.id}/end`, { at: at(240) });
    await t.api('POST', `${path}/markers`, { label: 'Goal', t: at(250) });

    const publishes: Promise<unknown>[] = [];
    const publish = (topic: string, body: unknown) => publishes.push(device.publishAsync(`touchline/v1/sensors/${topic}`, JSON.stringify(body), { qos: 1 }));
    for (let i = 0; i <= SECONDS; i++) {
      publish('strap-a/hr', { t: at(i), bpm: adaBpm(i), rr: adaRr(i) });
      publish('strap-b/hr', { t: at(i), bpm: 150 });
      publish('pod-a/imu', { t: at(i), playerLoad: 0.5 });
    }
    for (let first = 0; first <= SECONDS; first += 100) {
      const fixes = [];
      for (let i = first; i < Math.min(first + 100, SECONDS + 1); i++) fixes.push({ t: at(i), lat: latitudes[i], lon: LON, speed: stepSpeed(i), hdop: 0.8, sats: 12 });
      publish('pod-a/gnss', { fixes });
    }
    publish('pod-a/battery', { t: at(10), pct: 80 });
    publish('pod-a/battery', { t: at(290), pct: 78 });
    // QoS 1: every acknowledgement comes after the group commit, so all readings are stored.
    await Promise.all(publishes);

    expect((await t.api('POST', `${path}/stop`, { at: at(SECONDS) })).status).toBe(200);
    expect((await t.api('PUT', `${path}/rpe/${adaId}`, { rpe: 7 })).status).toBe(200);
    expect((await t.api('PUT', `${path}/rpe/${benId}`, { rpe: 5, durationMin: 4 })).status).toBe(200);
    const response = await t.api<Report>('GET', `${path}/report`);
    expect(response.status).toBe(200);
    report = response.body;
  });

  afterAll(() => t.stop());

  const athleteReport = (id: string) => report.athletes.find((a) => a.athleteId === id)!;

  it('matches numbers derived by hand: time in zone, TRIMP, distances, PlayerLoad, sRPE, team mean and total', () => {
    expect(report.from).toBe(at(0));
    expect(report.to).toBe(at(SECONDS));
    expect(report.athletes.map((a) => a.athleteId).sort()).toEqual([adaId, benId].sort());

    const ada = athleteReport(adaId);
    expect(ada.hrZoneLowerBoundsBpm).toEqual([95, 114, 133, 152, 171]);
    const hr = ada.session.hr!;
    // Each rate holds until the next sample: 120 s at 120 bpm (zone 2), 120 s at 160 (zone 4), 60 s at 180 (zone 5).
    expect(hr.secondsInZone).toEqual([0, 0, 120, 0, 120, 60]);
    expect(hr.durationS).toBe(300);
    expect(hr.meanBpm).toBeCloseTo((120 * 120 + 160 * 120 + 180 * 60) / 300, 9);
    expect(hr.maxBpm).toBe(180);
    expect(hr.edwardsTrimp).toBeCloseTo(2 * 2 + 2 * 4 + 1 * 5, 9);
    // Banister, women: minutes · x · 0.86·e^(1.67x), x the fraction of heart-rate reserve.
    const banister = (minutes: number, bpm: number) => {
      const x = (bpm - 50) / 140;
      return minutes * x * 0.86 * Math.exp(1.67 * x);
    };
    expect(hr.banisterTrimp).toBeCloseTo(banister(2, 120) + banister(2, 160) + banister(1, 180), 9);

    // Along a meridian the steps add up to the latitude change: 120·3 + 120·6 + 60·8 m.
    const gnss = ada.session.gnss!;
    expect(gnss.fixes).toBe(301);
    expect(gnss.distanceM).toBeCloseTo(1560, 1);
    expect(gnss.highSpeedRunningM).toBeCloseTo(120 * 6 + 60 * 8, 1);
    expect(gnss.sprintM).toBeCloseTo(60 * 8, 1);
    expect(gnss.highSpeedRunningEfforts).toBe(1);
    expect(gnss.sprintEfforts).toBe(1);
    expect(gnss.accelerations).toBe(0);
    expect(gnss.maxSpeed).toBeCloseTo(8, 6);
    expect(gnss.speedZones.find((z) => z.name === 'jogging')!.distanceM).toBeCloseTo(360, 1);

    expect(ada.session.playerLoad!.playerLoad).toBeCloseTo(300 * 0.5, 9);
    expect(ada.session.hrv).not.toBeNull();
    expect(ada.session.hrv!.beats).toBe(120 * 2 + 120 * 3 + 61 * 3);

    // Drill splits: Warm-up is the first 120 s, Possession the next 120 s.
    const [warmUp, possession] = ada.drills;
    expect([warmUp!.name, warmUp!.from, warmUp!.to]).toEqual(['Warm-up', at(0), at(120)]);
    expect([possession!.name, possession!.from, possession!.to]).toEqual(['Possession', at(120), at(240)]);
    expect(warmUp!.metrics.hr!.secondsInZone).toEqual([0, 0, 120, 0, 0, 0]);
    expect(possession!.metrics.hr!.secondsInZone).toEqual([0, 0, 0, 0, 120, 0]);
    expect(warmUp!.metrics.gnss!.distanceM).toBeCloseTo(360, 1);
    expect(warmUp!.metrics.gnss!.highSpeedRunningM).toBe(0);
    expect(possession!.metrics.gnss!.distanceM).toBeCloseTo(720, 1);
    expect(possession!.metrics.gnss!.highSpeedRunningM).toBeCloseTo(720, 1);
    // Increments ending on the boundary belong to the drill before it: 120 of them in each.
    expect(warmUp!.metrics.playerLoad!.playerLoad).toBeCloseTo(60, 9);
    expect(possession!.metrics.playerLoad!.playerLoad).toBeCloseTo(60, 9);

    const ben = athleteReport(benId);
    expect(ben.name).toBe(BEN.name);
    expect(ben.session.hr!.secondsInZone).toEqual([0, 0, 0, 300, 0, 0]);
    expect(ben.session.hr!.edwardsTrimp).toBeCloseTo(15, 9);
    expect(ben.session.hrv).toBeNull();
    expect(ben.session.gnss).toBeNull();
    expect(ben.session.playerLoad).toBeNull();

    // sRPE: Ada's duration defaults to the 5-minute session, Ben's was entered.
    expect(ada.rpe).toEqual({ rpe: 7, durationMin: 5, load: 35 });
    expect(ben.rpe).toEqual({ rpe: 5, durationMin: 4, load: 20 });

    const team = report.team.session;
    expect(team.athletes).toBe(2);
    expect(team.mean.hr!.edwardsTrimp).toBeCloseTo(16, 9);
    expect(team.total.hr!.edwardsTrimp).toBeCloseTo(32, 9);
    expect(team.mean.hr!.meanBpm).toBeCloseTo((148 + 150) / 2, 9);
    expect(team.total.hr!.secondsInZone).toEqual([0, 0, 120, 300, 120, 60]);
    expect(team.mean.gnss!.distanceM).toBeCloseTo(1560, 1);
    expect(team.total.gnss!.distanceM).toBeCloseTo(1560, 1);
    expect(team.total.playerLoad!.playerLoad).toBeCloseTo(150, 9);
    expect(report.team.drills.map((d) => d.name)).toEqual(['Warm-up', 'Possession']);
    expect(report.team.drills[0]!.team.total.hr!.edwardsTrimp).toBeCloseTo(2 * 2 + 2 * 3, 9);
    expect(report.team.rpe).toEqual({ athletes: 2, mean: { rpe: 6, durationMin: 4.5, load: 27.5 }, total: { durationMin: 9, load: 55 } });
  });

  it("matches core's batch functions run directly on the stored readings, per session and per drill", () => {
    const windows = [
      { from: at(0), to: at(SECONDS), pick: (a: Report['athletes'][number]) => a.session },
      { from: at(0), to: at(120), pick: (a: Report['athletes'][number]) => a.drills[0]!.metrics },
      { from: at(120), to: at(240), pick: (a: Report['athletes'][number]) => a.drills[1]!.metrics },
    ];
    for (const [id, member] of [[adaId, SQUAD_MEMBER], [benId, BEN]] as const) {
      const hrAll = stored(id, 'hr') as HrReading[];
      const gnssAll = stored(id, 'gnss') as GnssReading[];
      const imuAll = stored(id, 'imu') as ImuReading[];
      for (const { from, to, pick } of windows) {
        const metrics = pick(athleteReport(id));
        const hrIn = hrAll.filter((r) => r.t >= from && r.t <= to);
        const expectedHr = summarizeHrSession(hrIn.map((r) => ({ t: r.t, bpm: r.bpm })), profileOf(member));
        expect(metrics.hr!.samples).toBe(expectedHr.acceptedSamples);
        expect(metrics.hr!.secondsInZone).toEqual(expectedHr.secondsInZone);
        expect(metrics.hr!.banisterTrimp).toBeCloseTo(expectedHr.banisterTrimp, 9);
        expect(metrics.hr!.edwardsTrimp).toBeCloseTo(expectedHr.edwardsTrimp, 9);
        expect(metrics.hr!.meanBpm).toBeCloseTo(expectedHr.meanBpm!, 9);
        expect(metrics.hr!.energyKcal).not.toBeNull();
        expect(metrics.hr!.energyKcal!).toBeCloseTo(expectedHr.energyKcal!, 9);

        const rr = hrIn.flatMap((r) => r.rr);
        if (rr.length === 0) expect(metrics.hrv).toBeNull();
        else {
          const correction = correctArtifacts(rr);
          const expectedHrv = hrvTimeDomain(correction.nn);
          expect(metrics.hrv!.correctedBeats).toBe(correction.count);
          for (const key of ['meanRrMs', 'sdnnMs', 'rmssdMs', 'pnn50Pct', 'sd1Ms', 'sd2Ms'] as const) expect(metrics.hrv![key]).toBeCloseTo(expectedHrv[key], 9);
        }

        const fixes = gnssAll.filter((r) => r.t >= from && r.t <= to).map(({ stream: _stream, ...fix }) => fix);
        if (fixes.length === 0) expect(metrics.gnss).toBeNull();
        else {
          const expectedGnss = summarizeGnss(fixes);
          expect(metrics.gnss!.distanceM).toBeCloseTo(expectedGnss.distanceM, 9);
          expect(metrics.gnss!.highSpeedRunningM).toBeCloseTo(expectedGnss.highSpeedRunning.distanceM, 9);
          expect(metrics.gnss!.sprintEfforts).toBe(expectedGnss.sprint.effortCount);
          expect(metrics.gnss!.maxSpeed).toBeCloseTo(expectedGnss.maxSpeed, 9);
          expect(metrics.gnss!.averageMetabolicPower!).toBeCloseTo(expectedGnss.metabolic.averagePower!, 9);
          expect(metrics.gnss!.equivalentDistanceM).toBeCloseTo(expectedGnss.metabolic.equivalentDistanceM, 9);
          expect(metrics.gnss!.speedZones.map((z) => z.durationS)).toEqual(expectedGnss.zones.map((z) => z.durationS));
        }

        const increments = imuAll.filter((r) => r.t > from && r.t <= to);
        if (increments.length === 0) expect(metrics.playerLoad).toBeNull();
        else {
          const accumulator = new PlayerLoadAccumulator();
          for (const r of increments) accumulator.pushIncrement(r.t, r.playerLoad);
          const expectedLoad = accumulator.snapshot();
          expect(metrics.playerLoad!.playerLoad).toBeCloseTo(expectedLoad.playerLoad, 9);
          expect(metrics.playerLoad!.perMinute!).toBeCloseTo(expectedLoad.perMinute!, 9);
        }
      }
    }
  });

  it('exports every stored reading as long-format CSV that reads back to the same values', async () => {
    const response = await fetch(`${t.httpUrl}/api/sessions/${sessionId}/export.csv`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const day = new Date(BASE).toISOString().slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="touchline-${day}-thursday-session.csv"`);

    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(['session_id', 'athlete_id', 'athlete_name', 'sensor_id', 'stream', 't_iso', 't_ms', 'bpm', 'rr_ms', 'lat', 'lon', 'speed', 'hdop', 'sats', 'player_load', 'battery_pct']);
    const records = rows.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
    expect(records).toHaveLength(3 * 301 + 2 + 301);
    expect(new Set(records.map((r) => r.session_id))).toEqual(new Set([sessionId]));
    for (const r of records) expect(new Date(r.t_iso!).getTime()).toBe(Number(r.t_ms));

    const of = (athleteId: string, stream: string) => records.filter((r) => r.athlete_id === athleteId && r.stream === stream);
    // Published values, read back.
    expect(of(adaId, 'hr').map((r) => [Number(r.t_ms), Number(r.bpm), r.rr_ms])).toEqual(Array.from({ length: 301 }, (_, i) => [at(i), adaBpm(i), adaRr(i).join(' ')]));
    expect(of(adaId, 'hr').every((r) => r.athlete_name === 'Ada Test' && r.sensor_id === 'strap-a' && r.lat === '')).toBe(true);
    expect(of(adaId, 'imu').map((r) => Number(r.player_load))).toEqual(Array.from({ length: 301 }, () => 0.5));
    expect(of(adaId, 'battery').map((r) => [Number(r.t_ms), Number(r.battery_pct)])).toEqual([[at(10), 80], [at(290), 78]]);
    expect(of(benId, 'hr').every((r) => r.athlete_name === BEN.name && r.bpm === '150' && r.rr_ms === '')).toBe(true);
    // Positions exactly as stored (the store keeps 1e-7 degree).
    const gnssRows = of(adaId, 'gnss');
    const storedFixes = stored(adaId, 'gnss') as GnssReading[];
    expect(gnssRows.map((r) => [Number(r.t_ms), Number(r.lat), Number(r.lon), Number(r.speed), Number(r.hdop), Number(r.sats)])).toEqual(
      storedFixes.map((f) => [f.t, f.lat, f.lon, f.speed, f.hdop, f.sats]),
    );
    gnssRows.forEach((r, i) => expect(Number(r.lat)).toBeCloseTo(latitudes[i]!, 7));
  });

  it("exports an athlete's session as a FIT activity that decodes with valid CRCs to the stored readings", async () => {
    const response = await fetch(`${t.httpUrl}/api/sessions/${sessionId}/athletes/${adaId}/export.fit`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.ant.fit');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="touchline-\d{4}-\d{2}-\d{2}-thursday-session-ada-test\.fit"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());

    const decoder = new Decoder(Stream.fromByteArray(bytes));
    expect(decoder.isFIT()).toBe(true);
    expect(decoder.checkIntegrity()).toBe(true);
    const { messages, errors } = decoder.read();
    expect(errors).toEqual([]);
    expect(messages.fileIdMesgs?.[0]?.type).toBe('activity');

    const records = messages.recordMesgs ?? [];
    expect(records).toHaveLength(301);
    expect(records.map((r) => (r.timestamp as Date).getTime())).toEqual(Array.from({ length: 301 }, (_, i) => at(i)));
    expect(records.map((r) => r.heartRate)).toEqual((stored(adaId, 'hr') as HrReading[]).map((r) => r.bpm));
    records.forEach((r, i) => {
      expect(((r.positionLat as number) * 180) / 2 ** 31).toBeCloseTo(latitudes[i]!, 6);
      expect(((r.positionLong as number) * 180) / 2 ** 31).toBeCloseTo(LON, 6);
      expect(r.speed).toBeCloseTo(stepSpeed(i), 3);
    });
    const ada = athleteReport(adaId);
    expect(records.at(-1)!.distance as number).toBeCloseTo(ada.session.gnss!.distanceM, 2);

    const rr = (messages.hrvMesgs ?? []).flatMap((m) => (m.time ?? []).filter((s): s is number => typeof s === 'number').map((s) => Math.round(s * 1000)));
    expect(rr).toEqual((stored(adaId, 'hr') as HrReading[]).flatMap((r) => r.rr));

    const laps = messages.lapMesgs ?? [];
    expect(laps.map((l) => (l.startTime as Date).getTime())).toEqual([at(0), at(120)]);
    expect(laps.map((l) => l.avgHeartRate)).toEqual([120, 160]);
    expect(laps[0]!.totalDistance as number).toBeCloseTo(ada.drills[0]!.metrics.gnss!.distanceM, 2);
    expect(laps[1]!.totalDistance as number).toBeCloseTo(ada.drills[1]!.metrics.gnss!.distanceM, 2);
    const session = messages.sessionMesgs?.[0];
    expect(session).toMatchObject({ sport: 'teamSport', totalElapsedTime: 300, avgHeartRate: 148, maxHeartRate: 180, numLaps: 2 });
    expect(session!.totalDistance as number).toBeCloseTo(1560, 1);

    // Core's own importer reads the file back too.
    const workout = importWorkout(bytes, 'export.fit');
    expect(workout.records).toHaveLength(301);
    expect(workout.rr).toEqual(rr);
  });

  it('refuses exports and reports that have nothing to show, and keeps them from display screens', async () => {
    const empty = (await t.api<{ id: string }>('POST', '/api/athletes', { ...SQUAD_MEMBER, name: 'Cal Bench', number: 12 })).body.id;
    expect((await t.api<{ code: string }>('GET', `/api/sessions/${sessionId}/athletes/${empty}/export.fit`)).body.code).toBe('TL_ERR_NOT_FOUND');
    expect((await t.api('GET', `/api/sessions/${sessionId}/athletes/nobody/export.fit`)).status).toBe(404);
    expect((await t.api('GET', '/api/sessions/nothing/report')).status).toBe(404);
    expect((await t.api('GET', '/api/sessions/nothing/export.csv')).status).toBe(404);

    // Ben's strap has no GNSS: his FIT file has heart rate only.
    const ben = await fetch(`${t.httpUrl}/api/sessions/${sessionId}/athletes/${benId}/export.fit`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    const decoded = new Decoder(Stream.fromByteArray(new Uint8Array(await ben.arrayBuffer()))).read();
    expect(decoded.messages.recordMesgs).toHaveLength(301);
    expect(decoded.messages.recordMesgs!.every((r) => r.heartRate === 150 && r.positionLat === undefined)).toBe(true);
  });
});
