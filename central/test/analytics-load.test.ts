/**
 * Daily load over a known series, checked against hand arithmetic, and who may see it: a real
 * central, sessions with RPE uploaded by a hub, teams and grants.
 *
 * Ada trains a weekly pattern of session-RPE loads (RPE × minutes) for four weeks,
 *   Mon 300, Tue 400, Wed rest, Thu 500, Fri 200, Sat 600, Sun rest   (week total 2000),
 * then doubles it in week five (total 4000). Bea trains 100 every day. Both are in team A;
 * Cleo (100 on the first day only) is in team B.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UplinkSession } from '../src/schemas/uplink.schema.ts';
import { centralId, enrolledHub, hubAthlete, hubSession, send, userWithGrant, type EnrolledHub } from './analytics-fixtures.ts';
import { startTestCentral, type TestCentral } from './test-central.ts';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 3, 6); // Monday 2026-04-06
/** Minutes at RPE 5 (weeks 1–4) or RPE 10 (week 5) per weekday; 0 = rest. */
const MINUTES = [60, 80, 0, 100, 40, 120, 0];
const adaLoad = (i: number) => (i < 28 ? 5 : 10) * MINUTES[i % 7]!;

interface LoadDay {
  day: string;
  load: number;
  acwr: number | null;
  acwrEwma: number | null;
  monotony: number | null;
  strain: number | null;
  ctl: number;
  atl: number;
  tsb: number;
}

describe('training load over days', () => {
  let t: TestCentral;
  let db: pg.Client;
  let hub: EnrolledHub;
  let ada: string;
  let bea: string;
  let cleo: string;
  let teamA: string;
  let teamB: string;
  let lastSession: string;

  beforeAll(async () => {
    t = await startTestCentral();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    hub = await enrolledHub(t, 'Wanderers');
    const sessions: UplinkSession[] = Array.from({ length: 35 }, (_, i) => {
      const start = D0 + i * DAY + 12 * 3600_000;
      const rpe = [{ athleteId: 'bea', rpe: 2, durationMin: 50, enteredAt: start + 7200_000 }];
      if (MINUTES[i % 7]) rpe.push({ athleteId: 'ada', rpe: i < 28 ? 5 : 10, durationMin: MINUTES[i % 7]!, enteredAt: start + 7200_000 });
      if (i === 0 || i === 34) rpe.push({ athleteId: 'cleo', rpe: 4, durationMin: 25, enteredAt: start + 7200_000 });
      return hubSession(`day-${i}`, start, start + 5400_000, { rpe });
    });
    await send(t, hub, {
      athletes: [hubAthlete('ada', { name: 'Ada', number: 7, position: 'Midfield' }), hubAthlete('bea', { name: 'Bea', number: 9, position: 'Midfield' }), hubAthlete('cleo', { name: 'Cleo', position: 'Midfield' })],
      sessions,
      samples: null,
    });
    await t.central.aggregates.settle();
    ada = await centralId(db, 'athletes', hub.hubId, 'ada');
    bea = await centralId(db, 'athletes', hub.hubId, 'bea');
    cleo = await centralId(db, 'athletes', hub.hubId, 'cleo');
    lastSession = await centralId(db, 'sessions', hub.hubId, 'day-34');
    teamA = (await t.api<{ id: string }>('POST', '/api/teams', { clubId: hub.clubId, name: 'First team' })).body.id;
    teamB = (await t.api<{ id: string }>('POST', '/api/teams', { clubId: hub.clubId, name: 'Reserves' })).body.id;
    for (const [athlete, team] of [[ada, teamA], [bea, teamA], [cleo, teamB]] as const) {
      expect((await t.api('PUT', `/api/athletes/${athlete}/team`, { teamId: team })).status).toBe(200);
    }
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const loadOf = async (athlete: string, query: string, token?: string) =>
    t.api<{ athleteId: string; measure: string; days: LoadDay[] } & { code?: string }>('GET', `/api/athletes/${athlete}/load?${query}`, undefined, token);

  it('stores one daily row per training day from the sessions', async () => {
    const { rows } = await db.query(`select to_char(day, 'YYYY-MM-DD') as day, srpe from athlete_daily_loads where athlete_id = $1 order by day`, [ada]);
    expect(rows).toHaveLength(25); // 5 training days × 5 weeks
    expect(rows[0]).toEqual({ day: '2026-04-06', srpe: 300 });
    expect(rows.at(-1)).toEqual({ day: '2026-05-09', srpe: 1200 });
  });

  it('gives ACWR, monotony and strain as worked out by hand', async () => {
    const { status, body } = await loadOf(ada, 'from=2026-04-06&to=2026-05-10&measure=srpe');
    expect(status).toBe(200);
    expect(body.measure).toBe('srpe');
    expect(body.days).toHaveLength(35);
    expect(body.days.map((d) => d.load)).toEqual(Array.from({ length: 35 }, (_, i) => adaLoad(i)));

    // Foster's monotony over a week of [300, 400, 0, 500, 200, 600, 0]: mean / population SD.
    const mean = 2000 / 7;
    const meanOfSquares = (300 ** 2 + 400 ** 2 + 0 + 500 ** 2 + 200 ** 2 + 600 ** 2 + 0) / 7; // 900000 / 7
    const monotony = mean / Math.sqrt(meanOfSquares - mean ** 2); // 285.714 / 216.654 = 1.31876
    expect(monotony).toBeCloseTo(1.31876, 5);

    // Day 7 (first Sunday): acute 2000/7; chronic over 28 days with the days before the series as 0: 2000/28.
    const sunday1 = body.days[6]!;
    expect(sunday1.acwr).toBeCloseTo(2000 / 7 / (2000 / 28), 9); // 4
    // Day 28: four equal weeks, acute = chronic.
    const sunday4 = body.days[27]!;
    expect(sunday4.day).toBe('2026-05-03');
    expect(sunday4.acwr).toBeCloseTo(1, 9);
    // Ratios come rounded to 0.001, loads and the CTL/ATL family to 0.01.
    expect(sunday4.monotony).toBe(Math.round(monotony * 1000) / 1000);
    expect(sunday4.strain).toBeCloseTo(2000 * monotony, 1);
    // Day 35: the doubled week against 3 × 2000 + 4000 over 28 days: (4000/7) / (10000/28) = 1.6.
    const sunday5 = body.days[34]!;
    expect(sunday5.acwr).toBeCloseTo(1.6, 9);
    expect(sunday5.monotony).toBeCloseTo(monotony, 2); // doubling every load leaves mean/SD unchanged
    expect(sunday5.strain).toBeCloseTo(4000 * monotony, 1);

    // CTL/ATL: x_d = x_{d−1} + (L_d − x_{d−1})(1 − e^(−1/τ)), τ 42 and 7, from 0; TSB = CTL − ATL of the day before.
    let ctl = 0;
    let atl = 0;
    let tsb = 0;
    // EWMA ACWR (Williams 2017): E_d = λL_d + (1 − λ)E_{d−1}, λ = 2/(N + 1), seeded with the first day's load.
    let acute = adaLoad(0);
    let chronic = adaLoad(0);
    for (let i = 0; i < 35; i++) {
      tsb = ctl - atl;
      ctl += (adaLoad(i) - ctl) * (1 - Math.exp(-1 / 42));
      atl += (adaLoad(i) - atl) * (1 - Math.exp(-1 / 7));
      acute = (2 / 8) * adaLoad(i) + (1 - 2 / 8) * acute;
      chronic = (2 / 29) * adaLoad(i) + (1 - 2 / 29) * chronic;
    }
    expect(sunday5.ctl).toBeCloseTo(ctl, 1);
    expect(sunday5.atl).toBeCloseTo(atl, 1);
    expect(sunday5.tsb).toBeCloseTo(tsb, 1);
    expect(sunday5.acwrEwma).toBeCloseTo(acute / chronic, 2);
  });

  it('includes the history before `from`, so a short window is not cold-started', async () => {
    const { body } = await loadOf(ada, 'from=2026-05-10&to=2026-05-12&measure=srpe');
    expect(body.days.map((d) => d.day)).toEqual(['2026-05-10', '2026-05-11', '2026-05-12']);
    expect(body.days[0]!.acwr).toBeCloseTo(1.6, 9);
    // 2026-05-12 is the Tuesday after week 5. Its 7 days, Wed..Sun of week 5 and two rest days:
    // 0 + 1000 + 400 + 1200 + 0 + 0 + 0 = 2600. Its 28 days, from Wednesday of week 2:
    // Wed..Sun of week 2 (1300) + week 3 (2000) + week 4 (2000) + week 5 (4000) + two rest days = 9300.
    expect(body.days[2]!.load).toBe(0);
    expect(body.days[2]!.acwr).toBeCloseTo(2600 / 7 / (9300 / 28), 2);
  });

  it('answers other measures and 0 on days without training', async () => {
    const { body } = await loadOf(ada, 'from=2026-04-06&to=2026-04-07&measure=trimp');
    expect(body.measure).toBe('trimp');
    // RPE-only sessions carry no heart rate: no TRIMP, so the days count 0.
    expect(body.days.map((d) => d.load)).toEqual([0, 0]);
  });

  it("gives each team member's load and the models over the team's mean daily load", async () => {
    const { status, body } = await t.api<{ teamId: string; athletes: { athleteId: string; name: string; number: number; days: LoadDay[] }[]; mean: LoadDay[] }>(
      'GET',
      `/api/teams/${teamA}/load?from=2026-05-04&to=2026-05-10`,
    );
    expect(status).toBe(200);
    expect(body.athletes.map((a) => [a.name, a.number])).toEqual([['Ada', 7], ['Bea', 9]]);
    expect(body.athletes[1]!.days.map((d) => d.load)).toEqual(Array(7).fill(100));
    // Mean of Ada's doubled week and Bea's 100s, day by day.
    expect(body.mean.map((d) => d.load)).toEqual([600, 800, 0, 1000, 400, 1200, 0].map((l) => (l + 100) / 2));
    // Mean ACWR on the last day: acute (4000 + 700)/2/7, chronic (10000 + 2800)/2/28.
    expect(body.mean.at(-1)!.acwr).toBeCloseTo(4700 / 2 / 7 / (12800 / 2 / 28), 2);

    // The read is audited once, on the team, listing both athletes; each athlete's access log shows it.
    const audit = await db.query(`select target, detail from audit_log where action = 'health.read' and detail->>'purpose' = 'team-load'`);
    expect(audit.rows).toEqual([{ target: teamA, detail: { purpose: 'team-load', athletes: expect.arrayContaining([ada, bea]) } }]);
    expect(audit.rows[0].detail.athletes).toHaveLength(2);
    const exported = await t.api<{ accessLog: { action: string; detail: { purpose?: string } }[] }>('GET', `/api/athletes/${bea}/export`);
    expect(exported.body.accessLog.filter((e) => e.detail.purpose === 'team-load')).toHaveLength(1);
  });

  it('compares athletes with their team mean and their position', async () => {
    const { status, body } = await t.api<{ series: { label: string; kind: string; id: string; days: { day: string; load: number }[] }[] }>(
      'GET',
      `/api/compare?measure=srpe&from=2026-05-09&to=2026-05-10&athletes=${ada}&versus=team`,
    );
    expect(status).toBe(200);
    expect(body.series.map((s) => [s.kind, s.label])).toEqual([['athlete', 'Ada'], ['team', 'First team']]);
    expect(body.series[0]!.days).toEqual([{ day: '2026-05-09', load: 1200 }, { day: '2026-05-10', load: 0 }]);
    expect(body.series[1]!.days.map((d) => d.load)).toEqual([(1200 + 100) / 2, (0 + 100) / 2]);

    const position = await t.api<{ series: { label: string; kind: string; id: string; days: { load: number }[] }[] }>(
      'GET',
      `/api/compare?from=2026-05-09&to=2026-05-09&athletes=${ada},${bea}&versus=position`,
    );
    expect(position.body.series.map((s) => [s.kind, s.label])).toEqual([['athlete', 'Ada'], ['athlete', 'Bea'], ['position', 'Midfield (First team)']]);
    expect(position.body.series[2]!.days[0]!.load).toBe((1200 + 100) / 2);
  });

  it('refuses bad ranges with a coded error', async () => {
    const backwards = await loadOf(ada, 'from=2026-05-10&to=2026-05-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.code).toBe('TL_ERR_VALIDATION');
    const notADay = await loadOf(ada, 'from=2026-02-30&to=2026-03-01');
    expect(notADay.status).toBe(400);
    const badMeasure = await loadOf(ada, 'measure=watts');
    expect(badMeasure.status).toBe(400);
  });

  describe('scope', () => {
    let coachA: string;
    let adaHerself: string;

    beforeAll(async () => {
      coachA = await userWithGrant(t, db, 'coach.a@example.org', { role: 'coach', teamId: teamA });
      adaHerself = await userWithGrant(t, db, 'ada@example.org', { role: 'athlete', athleteId: ada });
    });

    it("lets team A's coach read team A and answers 404 for team B's athlete, as for an unknown one", async () => {
      expect((await loadOf(ada, 'from=2026-05-01&to=2026-05-10', coachA)).status).toBe(200);
      for (const path of [
        `/api/athletes/${cleo}/load`,
        `/api/athletes/${cleo}/hrv`,
        `/api/athletes/${cleo}/sessions`,
        `/api/athletes/${cleo}/workouts`,
        `/api/teams/${teamB}/load`,
        `/api/compare?athletes=${ada},${cleo}`,
        `/api/athletes/00000000-0000-4000-8000-000000000000/load`,
      ]) {
        const res = await t.api<{ code: string }>('GET', path, undefined, coachA);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'TL_ERR_NOT_FOUND']);
      }
      expect((await t.api('GET', `/api/teams/${teamA}/load`, undefined, coachA)).status).toBe(200);
    });

    it("shows a coach only their team's athletes in a club session's report", async () => {
      const asAdmin = await t.api<{ athletes: { name: string }[] }>('GET', `/api/sessions/${lastSession}/report`);
      // Sunday of week 5: Ada rested (no RPE entry); Bea 2 × 50 and Cleo 4 × 25 trained.
      expect(asAdmin.body.athletes.map((a) => a.name).sort()).toEqual(['Bea', 'Cleo']);
      const asCoach = await t.api<{ athletes: { name: string }[]; team: { srpe: number } }>('GET', `/api/sessions/${lastSession}/report`, undefined, coachA);
      expect(asCoach.status).toBe(200);
      expect(asCoach.body.athletes.map((a) => a.name)).toEqual(['Bea']);
      expect(asCoach.body.team.srpe).toBe(100);
      // A session with only team B's athletes in it does not exist for team A's coach.
      await send(t, hub, { athletes: [], sessions: [hubSession('cleo-extra', D0 + 40 * DAY, D0 + 40 * DAY + 3600_000, { rpe: [{ athleteId: 'cleo', rpe: 3, durationMin: 30, enteredAt: D0 + 40 * DAY + 3600_000 }] })], samples: null });
      await t.central.aggregates.settle();
      const cleoOnly = await centralId(db, 'sessions', hub.hubId, 'cleo-extra');
      expect((await t.api('GET', `/api/sessions/${cleoOnly}/report`, undefined, coachA)).status).toBe(404);
      expect((await t.api<{ athletes: { srpe: number }[] }>('GET', `/api/sessions/${cleoOnly}/report`)).body.athletes[0]!.srpe).toBe(90);
    });

    it('lets an athlete read only their own data', async () => {
      expect((await loadOf(ada, '', adaHerself)).status).toBe(200);
      expect((await loadOf(bea, '', adaHerself)).status).toBe(404);
      expect((await t.api('GET', `/api/teams/${teamA}/load`, undefined, adaHerself)).status).toBe(404);
      expect((await t.api('GET', '/api/athletes/' + ada + '/load')).status).toBe(200);
      expect((await t.api('GET', '/api/athletes/' + ada + '/load', undefined, null)).status).toBe(401);
    });
  });
});
