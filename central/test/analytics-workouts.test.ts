/**
 * Workout upload: real files from core's fixtures through a real central. The FIT file's figures
 * are checked against its own recorded totals (core/test/import-fit.test.ts: 10,686 records,
 * max HR 189, last distance 92,622.34 m, 13:00:22 to 16:31:53 UTC).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWorkout, summarizeWorkout } from '@touchline/core';
import { centralId, enrolledHub, hubAthlete, send, userWithGrant } from './analytics-fixtures.ts';
import { startTestCentral, type TestCentral } from './test-central.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'core', 'test', 'fixtures', 'workouts', name));

interface Workout {
  id: string;
  filename: string;
  format: string;
  sport: string;
  startedAt: number;
  durationS: number;
  distanceM: number | null;
  hrMean: number | null;
  hrMax: number | null;
  trimp: number | null;
  uploadedAt: number;
}

describe('workout upload', () => {
  let t: TestCentral;
  let db: pg.Client;
  let rider: string;
  let other: string;

  const upload = async (athlete: string, filename: string, bytes: Uint8Array, token: string | null = t.adminToken) => {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${t.url}/api/athletes/${athlete}/workouts?filename=${encodeURIComponent(filename)}`, { method: 'POST', headers, body: bytes });
    return { status: res.status, body: (await res.json()) as Workout & { code?: string; detail?: { reason: string } } };
  };
  const stored = async () => Number((await db.query('select count(*) from workouts')).rows[0].count);

  beforeAll(async () => {
    t = await startTestCentral();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    const hub = await enrolledHub(t, 'Cyclists');
    await send(t, hub, { athletes: [hubAthlete('rider', { hrMax: 195, hrRest: 48, birthYear: 1980 }), hubAthlete('other')], sessions: [], samples: null });
    rider = await centralId(db, 'athletes', hub.hubId, 'rider');
    other = await centralId(db, 'athletes', hub.hubId, 'other');
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it("stores a FIT file's summary, matching the file's own totals", async () => {
    const { status, body } = await upload(rider, 'ride.fit', fixture('garmin-edge-500-activity.fit'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ filename: 'ride.fit', format: 'fit', sport: 'cycling', hrMax: 189, distanceM: 92622.34 });
    expect(body.startedAt).toBe(Date.UTC(2011, 8, 25, 13, 0, 22));
    // 13:00:22 to 16:31:53: 3 h 31 min 31 s.
    expect(body.durationS).toBe(3 * 3600 + 31 * 60 + 31);
    // TRIMP with the rider's own profile, as core's batch summary gives it for the same file.
    const expected = summarizeWorkout(importWorkout(fixture('garmin-edge-500-activity.fit')), { hrMax: 195, hrRest: 48, sex: 'male', massKg: 75, ageYears: 31 });
    expect(body.trimp).toBeCloseTo(expected.trimp!, 9);
    expect(body.hrMean).toBeCloseTo(expected.avgHr!, 9);

    const list = await t.api<Workout[]>('GET', `/api/athletes/${rider}/workouts`);
    expect(list.body.map((w) => w.id)).toEqual([body.id]);
  });

  it("counts the workout in its day's load", async () => {
    await t.central.aggregates.settle();
    const distance = await t.api<{ days: { day: string; load: number }[] }>('GET', `/api/athletes/${rider}/load?from=2011-09-24&to=2011-09-26&measure=distance`);
    expect(distance.body.days.map((d) => [d.day, d.load])).toEqual([
      ['2011-09-24', 0],
      ['2011-09-25', 92622.34],
      ['2011-09-26', 0],
    ]);
    const list = await t.api<Workout[]>('GET', `/api/athletes/${rider}/workouts`);
    const trimp = await t.api<{ days: { load: number }[] }>('GET', `/api/athletes/${rider}/load?from=2011-09-25&to=2011-09-25&measure=trimp`);
    // Daily loads come rounded to 0.01.
    expect(trimp.body.days[0]!.load).toBe(Math.round(list.body[0]!.trimp! * 100) / 100);
  });

  it('reads GPX and TCX files too', async () => {
    const gpx = await upload(rider, 'run.gpx', fixture('hand-run.gpx'));
    expect(gpx.status).toBe(200);
    expect(gpx.body.format).toBe('gpx');
    const tcx = await upload(rider, 'ride.tcx', fixture('hand-ride.tcx'));
    expect(tcx.status).toBe(200);
    expect(tcx.body.format).toBe('tcx');
  });

  it('refuses bad files with a coded 400 and stores nothing', async () => {
    const before = await stored();
    const fit = fixture('garmin-fenix-5-run.fit');
    const cases: [string, Uint8Array, string][] = [
      ['cut.fit', fit.subarray(0, 3000), 'TL_ERR_FIT_CORRUPT'],
      ['noise.fit', new Uint8Array(2000).fill(7), 'TL_ERR_FIT_CORRUPT'],
      ['track.gpx', Buffer.from('this is not xml'), 'TL_ERR_XML_PARSE'],
      ['empty.csv', new Uint8Array(0), 'NO_FILE'],
      ['undated.fit', fixture('compressed-speed-distance.fit'), 'NO_DATE'],
    ];
    for (const [name, bytes, reason] of cases) {
      const res = await upload(rider, name, bytes);
      expect([name, res.status, res.body.code]).toEqual([name, 400, 'TL_ERR_WORKOUT_INVALID']);
      expect([name, res.body.detail?.reason]).toEqual([name, reason]);
    }
    const json = await t.api<{ code: string }>('POST', `/api/athletes/${rider}/workouts?filename=run.fit`, { not: 'a file' });
    expect([json.status, json.body.code]).toEqual([400, 'TL_ERR_WORKOUT_INVALID']);
    expect(await stored()).toBe(before);
  });

  it('refuses a file over 20 MB with 413', async () => {
    const before = await stored();
    const res = await upload(rider, 'huge.fit', new Uint8Array(20 * 1024 * 1024 + 1));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('TL_ERR_WORKOUT_TOO_LARGE');
    expect(await stored()).toBe(before);
  });

  it("lets an athlete upload their own workouts but not someone else's", async () => {
    const token = await userWithGrant(t, db, 'rider@example.org', { role: 'athlete', athleteId: rider });
    expect((await upload(rider, 'walk.fit', fixture('garmin-fenix-5-walk.fit'), token)).status).toBe(200);
    const foreign = await upload(other, 'walk.fit', fixture('garmin-fenix-5-walk.fit'), token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('TL_ERR_NOT_FOUND');
    expect((await upload(rider, 'walk.fit', fixture('garmin-fenix-5-walk.fit'), null)).status).toBe(401);
  });
});
