/**
 * Session figures from a hub's raw readings: a real central, a hub's batches over HTTP, and the
 * aggregates checked against hand arithmetic (Banister's formula, step lengths, increments) and
 * against core's batch functions fed the same samples.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARTH_MEAN_RADIUS_M, summarizeHrSession } from '@touchline/core';
import type { SampleGroup } from '../src/schemas/uplink.schema.ts';
import { centralId, enrolledHub, hubAthlete, hubSession, send, type EnrolledHub } from './analytics-fixtures.ts';
import { startTestCentral, type TestCentral } from './test-central.ts';

const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const S = 1000;
const END = T0 + 600 * S;
const DRILL_SPLIT = T0 + 300 * S;

/** Metres north per degree of latitude on core's sphere: a step along a meridian is exactly R·Δφ. */
const M_PER_DEG = (EARTH_MEAN_RADIUS_M * Math.PI) / 180;

/** Speed over the second ending at t (s after T0), m/s: 3, then 6 (HSR), then 8 (sprint), then 2. */
const speedInto = (t: number) => (t <= 200 ? 3 : t <= 300 ? 6 : t <= 400 ? 8 : 2);

const hrA = (t: number) => (t < 300 ? 150 : 170);

function groups(): Omit<SampleGroup, 'firstSeq'>[] {
  const hrA1 = [
    // A minute before the session starts: outside its window.
    ...Array.from({ length: 60 }, (_, i) => ({ t: T0 - (60 - i) * S, bpm: 100, rr: [] })),
    ...Array.from({ length: 601 }, (_, i) => ({ t: T0 + i * S, bpm: hrA(i), rr: [] })),
  ];
  let lat = 51.5;
  const gnss = Array.from({ length: 601 }, (_, i) => {
    if (i > 0) lat += speedInto(i) / M_PER_DEG;
    return { t: T0 + i * S, lat, lon: -0.12, speed: i > 0 ? speedInto(i) : 3, hdop: 0.8, sats: 12 };
  });
  // One PlayerLoad increment per second, 0..610 s: the one at 0 belongs before the session, 601.. after it.
  const imu = Array.from({ length: 611 }, (_, i) => ({ t: T0 + i * S, playerLoad: 0.1 }));
  const hrA2 = Array.from({ length: 601 }, (_, i) => ({ t: T0 + i * S, bpm: 140, rr: [] }));
  return [
    { sensorId: 'strap-1', athleteId: 'a1', kind: 'hr', readings: hrA1 },
    { sensorId: 'pod-1', athleteId: 'a1', kind: 'gnss', readings: gnss },
    { sensorId: 'imu-1', athleteId: 'a1', kind: 'imu', readings: imu },
    { sensorId: 'strap-2', athleteId: 'a2', kind: 'hr', readings: hrA2 },
  ] as Omit<SampleGroup, 'firstSeq'>[];
}

function numbered(list: Omit<SampleGroup, 'firstSeq'>[], firstSeq = 1): { groups: SampleGroup[]; toSeq: number } {
  let seq = firstSeq;
  const out = list.map((g) => {
    const group = { ...g, firstSeq: seq } as SampleGroup;
    seq += g.readings.length;
    return group;
  });
  return { groups: out, toSeq: seq - 1 };
}

/** Banister TRIMP for a male athlete by hand: minutes × HRr × 0.64·e^(1.92·HRr), HRr = (HR − 50)/(190 − 50). */
const banister = (minutes: number, bpm: number) => {
  const hrr = (bpm - 50) / (190 - 50);
  return minutes * hrr * 0.64 * Math.exp(1.92 * hrr);
};

interface Report {
  session: { id: string; endedAt: number | null };
  athletes: { athleteId: string; name: string; durationS: number; hrMean: number; hrMax: number; trimp: number; srpe: number | null; distanceM: number | null; hsrM: number | null; sprintM: number | null; playerLoad: number | null }[];
  team: Record<string, number | null>;
  drills: { name: string; athletes: { athleteId: string; durationS: number; hrMean: number; trimp: number; distanceM: number | null; hsrM: number | null; playerLoad: number | null }[] }[];
}

describe('session aggregates from uploaded readings', () => {
  let t: TestCentral;
  let db: pg.Client;
  let hub: EnrolledHub;
  let sessionId: string;
  let a1: string;
  let a2: string;

  beforeAll(async () => {
    t = await startTestCentral();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    hub = await enrolledHub(t, 'Harriers');
    const { groups: g, toSeq } = numbered(groups());
    // First batch: the session still running, no RPE yet.
    await send(t, hub, {
      athletes: [hubAthlete('a1', { name: 'Ada' }), hubAthlete('a2', { name: 'Bea', hrMax: 200, hrRest: 60 })],
      sessions: [hubSession('s1', T0, null)],
      samples: { stream: 'samples:1', fromSeq: 1, toSeq, groups: g },
    });
    await t.central.aggregates.settle();
    sessionId = await centralId(db, 'sessions', hub.hubId, 's1');
    a1 = await centralId(db, 'athletes', hub.hubId, 'a1');
    a2 = await centralId(db, 'athletes', hub.hubId, 'a2');
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('computes figures as soon as the readings arrive, before the session ends', async () => {
    const report = await t.api<Report>('GET', `/api/sessions/${sessionId}/report`);
    expect(report.status).toBe(200);
    const ada = report.body.athletes.find((a) => a.athleteId === a1)!;
    // Open session: the window runs to now, so the increments at 601..610 s count too (610 × 0.1).
    expect(ada.playerLoad).toBeCloseTo(61, 9);
    expect(ada.srpe).toBeNull();
  });

  it('recomputes when the session ends and RPE arrives, per athlete and per drill', async () => {
    await send(t, hub, {
      athletes: [],
      sessions: [
        hubSession('s1', T0, END, {
          drills: [
            { id: 'd1', name: 'Rondo', startedAt: T0, endedAt: DRILL_SPLIT },
            { id: 'd2', name: 'Small-sided game', startedAt: DRILL_SPLIT, endedAt: END },
          ],
          rpe: [
            { athleteId: 'a1', rpe: 7, durationMin: 60, enteredAt: END + 60 * S },
            { athleteId: 'a2', rpe: 5, durationMin: 50, enteredAt: END + 60 * S },
          ],
        }),
      ],
      samples: null,
    });
    await t.central.aggregates.settle();
    const { body } = await t.api<Report>('GET', `/api/sessions/${sessionId}/report`);
    expect(body.session.endedAt).toBe(END);
    const ada = body.athletes.find((a) => a.athleteId === a1)!;
    const bea = body.athletes.find((a) => a.athleteId === a2)!;

    // HR: 300 s at 150 then 300 s at 170 (each rate held until the next sample); the 100 bpm before the start is outside.
    expect(ada.durationS).toBe(600);
    expect(ada.hrMean).toBeCloseTo((300 * 150 + 300 * 170) / 600, 9);
    expect(ada.hrMax).toBe(170);
    const adaTrimp = banister(5, 150) + banister(5, 170);
    expect(ada.trimp).toBeCloseTo(adaTrimp, 6);
    // The same samples through core's batch function.
    const samples = Array.from({ length: 601 }, (_, i) => ({ t: T0 + i * S, bpm: hrA(i) }));
    expect(ada.trimp).toBeCloseTo(summarizeHrSession(samples, { hrMax: 190, hrRest: 50, sex: 'male', massKg: 75 }).banisterTrimp, 9);

    // sRPE = RPE × minutes: 7 × 60 and 5 × 50.
    expect(ada.srpe).toBe(420);
    expect(bea.srpe).toBe(250);

    // GNSS: steps of 3 m × 200, 6 m × 100, 8 m × 100, 2 m × 200 along a meridian.
    expect(ada.distanceM).toBeCloseTo(3 * 200 + 6 * 100 + 8 * 100 + 2 * 200, 6);
    expect(ada.hsrM).toBeCloseTo(6 * 100 + 8 * 100, 6);
    expect(ada.sprintM).toBeCloseTo(8 * 100, 6);
    // PlayerLoad increments in (start, end]: 600 × 0.1.
    expect(ada.playerLoad).toBeCloseTo(60, 9);

    // Bea: 600 s at 140 bpm with her own HRmax 200 and HRrest 60: HRr = 80/140.
    const beaHrr = (140 - 60) / (200 - 60);
    expect(bea.trimp).toBeCloseTo(10 * beaHrr * 0.64 * Math.exp(1.92 * beaHrr), 6);
    expect(bea.distanceM).toBeNull();

    // Team: mean over the athletes that have each figure.
    expect(body.team.srpe).toBe((420 + 250) / 2);
    expect(body.team.trimp).toBeCloseTo((ada.trimp + bea.trimp) / 2, 9);
    expect(body.team.distanceM).toBeCloseTo(2400, 6);

    // Drills: each its own window; HR and PlayerLoad add up to the session's.
    expect(body.drills.map((d) => d.name)).toEqual(['Rondo', 'Small-sided game']);
    const [rondo, ssg] = body.drills.map((d) => d.athletes.find((a) => a.athleteId === a1)!);
    expect(rondo!.trimp).toBeCloseTo(banister(5, 150), 6);
    expect(ssg!.trimp).toBeCloseTo(banister(5, 170), 6);
    expect(rondo!.hrMean).toBe(150);
    expect(rondo!.distanceM).toBeCloseTo(3 * 200 + 6 * 100, 6);
    expect(ssg!.distanceM).toBeCloseTo(8 * 100 + 2 * 200, 6);
    expect(rondo!.hsrM).toBeCloseTo(600, 6);
    expect(rondo!.playerLoad! + ssg!.playerLoad!).toBeCloseTo(60, 9);
    expect(rondo!.playerLoad).toBeCloseTo(30, 9);
  });

  it("lists the session among the athlete's sessions and counts it on its day", async () => {
    const sessions = await t.api<{ sessionId: string; trimp: number; srpe: number }[]>('GET', `/api/athletes/${a1}/sessions?from=2026-03-10&to=2026-03-10`);
    expect(sessions.status).toBe(200);
    expect(sessions.body.map((s) => s.sessionId)).toEqual([sessionId]);
    expect(sessions.body[0]!.srpe).toBe(420);
    const other = await t.api<unknown[]>('GET', `/api/athletes/${a1}/sessions?from=2026-03-11&to=2026-03-20`);
    expect(other.body).toEqual([]);

    const load = await t.api<{ days: { day: string; load: number }[] }>('GET', `/api/athletes/${a1}/load?from=2026-03-09&to=2026-03-11&measure=srpe`);
    expect(load.status).toBe(200);
    expect(load.body.days.map((d) => [d.day, d.load])).toEqual([
      ['2026-03-09', 0],
      ['2026-03-10', 420],
      ['2026-03-11', 0],
    ]);
  });

  it('records every health read in the audit log', async () => {
    const { rows } = await db.query(`select target, detail->>'purpose' as purpose from audit_log where action = 'health.read' and target = $1`, [a1]);
    expect(rows.map((r) => r.purpose)).toEqual(expect.arrayContaining(['session-report', 'sessions', 'load']));
  });
});

describe('HRV per day from recorded beat-to-beat intervals', () => {
  let t: TestCentral;
  let db: pg.Client;

  beforeAll(async () => {
    t = await startTestCentral();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('gives RMSSD of a day with at least a minute of beats, and nothing for shorter days', async () => {
    const hub = await enrolledHub(t, 'Pacers');
    const day1 = Date.UTC(2026, 4, 1, 9);
    const day2 = Date.UTC(2026, 4, 2, 9);
    // Day 1: 100 beats of about 800 ms (80 s) swinging smoothly by ±40 ms: no artifacts to correct.
    const rr = Array.from({ length: 100 }, (_, i) => Math.round(800 + 40 * Math.sin(i * 0.9)));
    const long = rr.map((ms, i) => ({ t: day1 + i * 1000, bpm: 74, rr: [ms] }));
    // Day 2: 50 beats (40 s), under the minute HRV needs.
    const short = Array.from({ length: 50 }, (_, i) => ({ t: day2 + i * 1000, bpm: 74, rr: [800] }));
    await send(t, hub, {
      athletes: [hubAthlete('h1')],
      sessions: [],
      samples: {
        stream: 'samples:hrv',
        fromSeq: 1,
        toSeq: 150,
        groups: [
          { firstSeq: 1, sensorId: 'strap-h', athleteId: 'h1', kind: 'hr', readings: long },
          { firstSeq: 101, sensorId: 'strap-h', athleteId: 'h1', kind: 'hr', readings: short },
        ],
      },
    });
    const athlete = await centralId(db, 'athletes', hub.hubId, 'h1');
    const { status, body } = await t.api<{ day: string; rmssdMs: number; beats: number }[]>('GET', `/api/athletes/${athlete}/hrv?from=2026-05-01&to=2026-05-03`);
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(body[0]!.day).toBe('2026-05-01');
    expect(body[0]!.beats).toBe(100);
    // RMSSD by its definition: the root of the mean squared successive difference.
    const squares = rr.slice(1).map((ms, i) => (ms - rr[i]!) ** 2);
    expect(body[0]!.rmssdMs).toBeCloseTo(Math.sqrt(squares.reduce((a, b) => a + b, 0) / squares.length), 9);
  });
});

describe('the aggregation queue', () => {
  let t: TestCentral;
  let db: pg.Client;

  beforeAll(async () => {
    t = await startTestCentral();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('acks the batch, keeps the work queued with the error, and finishes it on a later attempt', async () => {
    const hub = await enrolledHub(t, 'Rangers');
    // The aggregates' table is unusable for a while (as if a migration or a lock held it).
    await db.query('alter table drill_athlete_loads rename to drill_athlete_loads_away');
    const hr = Array.from({ length: 61 }, (_, i) => ({ t: T0 + i * S, bpm: 150, rr: [] }));
    await send(t, hub, {
      athletes: [hubAthlete('r1')],
      sessions: [hubSession('r-s1', T0, T0 + 60 * S, { rpe: [{ athleteId: 'r1', rpe: 6, durationMin: 1, enteredAt: T0 + 120 * S }] })],
      samples: { stream: 'samples:r', fromSeq: 1, toSeq: 61, groups: [{ firstSeq: 1, sensorId: 'strap-r', athleteId: 'r1', kind: 'hr', readings: hr }] },
    });
    await t.central.aggregates.settle();
    const sessionId = await centralId(db, 'sessions', hub.hubId, 'r-s1');
    const pending = await db.query('select attempts, last_error from analytics_pending_sessions where session_id = $1', [sessionId]);
    expect(pending.rows).toHaveLength(1);
    expect(pending.rows[0].attempts).toBe(1);
    expect(pending.rows[0].last_error).toMatch(/drill_athlete_loads/);
    expect((await db.query('select count(*)::int as n from raw_samples')).rows[0].n).toBe(61);

    await db.query('alter table drill_athlete_loads_away rename to drill_athlete_loads');
    // The retry is due (rather than waiting out the backoff in a test).
    await db.query('update analytics_pending_sessions set next_attempt_at = now()');
    await t.central.aggregates.settle();
    expect((await db.query('select count(*)::int as n from analytics_pending_sessions')).rows[0].n).toBe(0);
    const report = await t.api<Report>('GET', `/api/sessions/${sessionId}/report`);
    expect(report.body.athletes[0]!.srpe).toBe(6);
    expect(report.body.athletes[0]!.trimp).toBeCloseTo(banister(1, 150), 6);
  });

  /** The session's row in the queue, with its times relative to the database's now (ms). */
  const queued = async (sessionId: string) => {
    const { rows } = await db.query(
      `select extract(epoch from quiet_until - now())::float8 * 1000 as quiet, extract(epoch from due_by - now())::float8 * 1000 as due, extract(epoch from next_attempt_at - now())::float8 * 1000 as next,
              quiet_until, due_by from analytics_pending_sessions where session_id = $1`,
      [sessionId],
    );
    return rows[0] as { quiet: number; due: number; next: number; quiet_until: Date; due_by: Date } | undefined;
  };
  const imuBatch = (stream: string, sensor: string, athlete: string, start: number, from: number, n: number) => ({
    stream,
    fromSeq: from,
    toSeq: from + n - 1,
    groups: [{ firstSeq: from, sensorId: sensor, athleteId: athlete, kind: 'imu' as const, readings: Array.from({ length: n }, (_, i) => ({ t: start + (from + i) * S, playerLoad: 0.5 })) }],
  });
  const loadsOf = async (sessionId: string) =>
    (await db.query('select player_load from session_athlete_loads where session_id = $1', [sessionId])).rows.map((r) => Number(r.player_load));

  it('computes a session once its readings stop arriving, not after every batch, and again when more arrive', async () => {
    const hub = await enrolledHub(t, 'Quiet');
    // A session that ended an hour ago, its readings caught up in several batches.
    const start = T0;
    await send(t, hub, { athletes: [hubAthlete('q1')], sessions: [hubSession('quiet', start, start + 600 * S)], samples: imuBatch('samples:q', 'imu-q', 'q1', start, 1, 10) });
    await t.central.aggregates.settle({ dueOnly: true });
    const sessionId = await centralId(db, 'sessions', hub.hubId, 'quiet');
    const first = (await queued(sessionId))!;
    // Waiting for quiet (not due yet), and the quiet period, not the longest wait, decides when.
    expect(first.next).toBeGreaterThan(0);
    expect(first.quiet_until.getTime()).toBeLessThan(first.due_by.getTime());
    expect(await loadsOf(sessionId)).toEqual([]);

    await send(t, hub, { athletes: [], sessions: [], samples: imuBatch('samples:q', 'imu-q', 'q1', start, 11, 10) });
    await t.central.aggregates.settle({ dueOnly: true });
    const second = (await queued(sessionId))!;
    // The next batch put it off again; the longest wait still counts from the first request.
    expect(second.quiet_until.getTime()).toBeGreaterThan(first.quiet_until.getTime());
    expect(second.due_by).toEqual(first.due_by);
    expect(await loadsOf(sessionId)).toEqual([]);

    // The quiet period has passed (brought forward here): one computation with both batches' readings.
    await db.query('update analytics_pending_sessions set next_attempt_at = now() where session_id = $1', [sessionId]);
    await t.central.aggregates.settle({ dueOnly: true });
    expect(await queued(sessionId)).toBeUndefined();
    const [computed] = await loadsOf(sessionId);
    expect(computed).toBeCloseTo(20 * 0.5, 9);

    // Readings arriving later queue it again, and they count.
    await send(t, hub, { athletes: [], sessions: [], samples: imuBatch('samples:q', 'imu-q', 'q1', start, 21, 10) });
    await t.central.aggregates.settle();
    expect((await loadsOf(sessionId))[0]).toBeCloseTo(30 * 0.5, 9);
  });

  it('recomputes a running session by its longest wait even while its readings keep arriving', async () => {
    const hub = await enrolledHub(t, 'Live');
    const start = Date.now() - 120_000;
    await send(t, hub, { athletes: [hubAthlete('l1')], sessions: [hubSession('live', start, null)], samples: imuBatch('samples:l', 'imu-l', 'l1', start, 1, 10) });
    await t.central.aggregates.settle();
    const sessionId = await centralId(db, 'sessions', hub.hubId, 'live');
    expect((await loadsOf(sessionId))[0]).toBeCloseTo(5, 9);

    await send(t, hub, { athletes: [], sessions: [], samples: imuBatch('samples:l', 'imu-l', 'l1', start, 11, 10) });
    await t.central.aggregates.settle({ dueOnly: true });
    const waiting = (await queued(sessionId))!;
    expect(waiting.next).toBeGreaterThan(0);
    expect(await loadsOf(sessionId)).toHaveLength(1);
    expect((await loadsOf(sessionId))[0]).toBeCloseTo(5, 9);

    // The longest wait has run out (brought forward here): the next batch no longer puts it off.
    await db.query('update analytics_pending_sessions set due_by = now() where session_id = $1', [sessionId]);
    await send(t, hub, { athletes: [], sessions: [], samples: imuBatch('samples:l', 'imu-l', 'l1', start, 21, 10) });
    await t.central.aggregates.settle({ dueOnly: true });
    expect((await loadsOf(sessionId))[0]).toBeCloseTo(15, 9);

    // After that computation the longest wait starts afresh.
    await send(t, hub, { athletes: [], sessions: [], samples: imuBatch('samples:l', 'imu-l', 'l1', start, 31, 10) });
    await t.central.aggregates.settle({ dueOnly: true });
    const again = (await queued(sessionId))!;
    expect(again.next).toBeGreaterThan(0);
    expect(again.due).toBeGreaterThan(0);
    expect((await loadsOf(sessionId))[0]).toBeCloseTo(15, 9);
  });

  it('keeps a session waiting for quiet across a restart and computes it afterwards', async () => {
    const hub = await enrolledHub(t, 'Restarters');
    await send(t, hub, { athletes: [hubAthlete('w1')], sessions: [hubSession('wait', T0, T0 + 600 * S)], samples: imuBatch('samples:w', 'imu-w', 'w1', T0, 1, 8) });
    await t.central.aggregates.settle({ dueOnly: true });
    const sessionId = await centralId(db, 'sessions', hub.hubId, 'wait');
    expect((await queued(sessionId))!.next).toBeGreaterThan(0);
    const port = t.port;
    await t.close();
    t = await startTestCentral({ databaseUrl: t.databaseUrl, port });
    // Still queued after the restart, with its wait.
    await t.central.aggregates.settle({ dueOnly: true });
    expect((await queued(sessionId))!.next).toBeGreaterThan(0);
    await t.central.aggregates.settle();
    expect((await loadsOf(sessionId))[0]).toBeCloseTo(4, 9);
  });

  it('clears the old day when a session moves to another day', async () => {
    const hub = await enrolledHub(t, 'Movers');
    const rpe = (start: number) => [{ athleteId: 'm1', rpe: 5, durationMin: 20, enteredAt: start + 3600_000 }];
    await send(t, hub, { athletes: [hubAthlete('m1')], sessions: [hubSession('m-s1', T0, T0 + 1800_000, { rpe: rpe(T0) })], samples: null });
    await t.central.aggregates.settle();
    const athlete = await centralId(db, 'athletes', hub.hubId, 'm1');
    const days = async () => (await db.query(`select to_char(day, 'YYYY-MM-DD') as day, srpe from athlete_daily_loads where athlete_id = $1`, [athlete])).rows;
    expect(await days()).toEqual([{ day: '2026-03-10', srpe: 100 }]);
    const nextDay = T0 + 86_400_000;
    await send(t, hub, { athletes: [], sessions: [hubSession('m-s1', nextDay, nextDay + 1800_000, { rpe: rpe(nextDay) })], samples: null });
    await t.central.aggregates.settle();
    expect(await days()).toEqual([{ day: '2026-03-11', srpe: 100 }]);
  });

  it('recomputes on start every session changed since it was computed, or never computed', async () => {
    const before = await db.query('select session_id, athlete_id, srpe, trimp from session_athlete_loads order by session_id, athlete_id');
    expect(before.rows.length).toBeGreaterThan(0);
    // As if the aggregates had never been computed (or were lost with the process before the queue).
    await db.query('delete from session_athlete_loads; delete from drill_athlete_loads; delete from athlete_daily_loads; delete from session_aggregate_marks');
    const port = t.port;
    await t.close();
    t = await startTestCentral({ databaseUrl: t.databaseUrl, port });
    await t.central.aggregates.settle();
    const after = await db.query('select session_id, athlete_id, srpe, trimp from session_athlete_loads order by session_id, athlete_id');
    expect(after.rows).toEqual(before.rows);
    expect((await db.query('select count(*)::int as n from athlete_daily_loads')).rows[0].n).toBeGreaterThan(0);
  });
});
