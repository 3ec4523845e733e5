/**
 * The portal's season view: one team of 50 athletes with a year of training (sessions, per-session
 * loads, RPE and daily loads, as central's jobs leave them), then GET /api/teams/:id/load over the
 * whole season, first one request at a time, then from a few clients at once.
 */
import pg from 'pg';
import { summarize, type LatencySummary } from './stats.ts';
import type { CentralProcess } from './uplink-central.ts';

export const PORTAL_ATHLETES = 50;
/** The season the view covers; daily data starts six weeks earlier, so the first days' rolling loads have history. */
export const SEASON = { from: '2025-07-01', to: '2026-06-30' } as const;
const HISTORY_DAYS = 42;
const DAY_MS = 86_400_000;

export interface PortalSeed {
  teamId: string;
  athletes: number;
  days: number;
  sessions: number;
  dailyRows: number;
  sessionLoadRows: number;
  seedS: number;
}

export interface RequestRun {
  requests: number;
  clients: number;
  elapsedS: number;
  requestsPerS: number;
  latencyMs: LatencySummary;
}

export type PortalResult =
  | { status: 'measured'; seed: PortalSeed; path: string; responseBytes: number; sequential: RequestRun; concurrent: RequestRun }
  | { status: 'waiting'; seed: PortalSeed; path: string; reason: string };

/** A small deterministic generator (mulberry32), so every run seeds the same season. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Seeds the team's season straight into central's tables (the bench's own SQL: this is test data, not an API). */
export async function seedSeason(url: string, seed: number): Promise<PortalSeed> {
  const started = performance.now();
  const rnd = random(seed);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('begin');
    const one = async (text: string, values: unknown[]) => (await db.query<{ id: string }>(text, values)).rows[0]!.id;
    const organisationId = await one('insert into organisations (name) values ($1) returning id', ['Bench League']);
    const clubId = await one('insert into clubs (organisation_id, name) values ($1, $2) returning id', [organisationId, 'Bench FC']);
    const teamId = await one('insert into teams (club_id, name) values ($1, $2) returning id', [clubId, 'First team']);
    const hubId = await one('insert into hubs (club_id, name) values ($1, $2) returning id', [clubId, 'Bench ground hub']);
    const positions = ['goalkeeper', 'defender', 'midfielder', 'forward'];
    const athletes = (
      await db.query<{ id: string }>(
        `insert into athletes (club_id, team_id, hub_id, local_id, name, number, position, hr_max, hr_rest, sex, mass_kg, birth_year)
         select $1, $2, $3, 'bench-' || n, 'Athlete ' || n, n, ($4::text[])[1 + n % 4], 190 + n % 10, 50 + n % 10, 'male', 70 + n % 15, 1995 + n % 10
         from generate_series(1, $5) as n order by n returning id`,
        [clubId, teamId, hubId, positions, PORTAL_ATHLETES],
      )
    ).rows.map((r) => r.id);

    const firstDay = Date.parse(`${SEASON.from}T00:00:00Z`) - HISTORY_DAYS * DAY_MS;
    const lastDay = Date.parse(`${SEASON.to}T00:00:00Z`);
    const sessionDays: { day: number; kind: 'training' | 'match' }[] = [];
    for (let day = firstDay; day <= lastDay; day += DAY_MS) {
      // Training Monday, Tuesday, Thursday and Friday; a match on Saturday.
      const weekday = new Date(day).getUTCDay();
      if ([1, 2, 4, 5].includes(weekday)) sessionDays.push({ day, kind: 'training' });
      else if (weekday === 6) sessionDays.push({ day, kind: 'match' });
    }
    const sessionIds = (
      await db.query<{ id: string }>(
        `insert into sessions (club_id, hub_id, local_id, name, kind, started_at, ended_at)
         select $1, $2, 'bench-session-' || s.i, initcap(s.kind) || ' ' || to_char(s.start, 'YYYY-MM-DD'), s.kind, s.start, s.start + interval '90 minutes'
         from unnest($3::timestamptz[], $4::text[]) with ordinality as s(start, kind, i) order by s.i returning id`,
        [clubId, hubId, sessionDays.map((s) => new Date(s.day + 10 * 3600_000)), sessionDays.map((s) => s.kind)],
      )
    ).rows.map((r) => r.id);

    // Per session and athlete: plausible loads for 90 minutes (match days heavier).
    const load = { session: [] as string[], athlete: [] as string[], rpe: [] as number[], trimp: [] as number[], distance: [] as number[], hsr: [] as number[], playerLoad: [] as number[] };
    const daily = new Map<string, { trimp: number; srpe: number; distance: number; hsr: number; playerLoad: number }>();
    sessionDays.forEach((s, i) => {
      const intensity = s.kind === 'match' ? 1.4 : 0.7 + rnd() * 0.5;
      for (const athleteId of athletes) {
        const effort = intensity * (0.85 + rnd() * 0.3);
        const rpe = Math.min(10, Math.round(effort * 5 * 10) / 10);
        const entry = { trimp: Math.round(effort * 110), srpe: rpe * 90, distance: Math.round(effort * 6000), hsr: Math.round(effort * effort * 450), playerLoad: Math.round(effort * 520) };
        load.session.push(sessionIds[i]!);
        load.athlete.push(athleteId);
        load.rpe.push(rpe);
        load.trimp.push(entry.trimp);
        load.distance.push(entry.distance);
        load.hsr.push(entry.hsr);
        load.playerLoad.push(entry.playerLoad);
        daily.set(`${athleteId}/${s.day}`, entry);
      }
    });
    await db.query(
      `insert into session_athlete_loads (session_id, athlete_id, duration_s, hr_mean, hr_max, trimp, srpe, distance_m, hsr_m, sprint_m, player_load)
       select s, a, 5400, 120 + t / 4, 170 + t / 20, t, r * 90, d, h, h / 4, p
       from unnest($1::uuid[], $2::uuid[], $3::real[], $4::real[], $5::real[], $6::real[], $7::real[]) as x(s, a, r, t, d, h, p)`,
      [load.session, load.athlete, load.rpe, load.trimp, load.distance, load.hsr, load.playerLoad],
    );
    await db.query(
      `insert into session_rpe (session_id, athlete_id, rpe, duration_min, entered_at)
       select x.s, x.a, x.r, 90, se.ended_at from unnest($1::uuid[], $2::uuid[], $3::real[]) as x(s, a, r) join sessions se on se.id = x.s`,
      [load.session, load.athlete, load.rpe],
    );
    // A row for every day, zeros on days without training, as a daily job would write them.
    const rows = { athlete: [] as string[], day: [] as string[], trimp: [] as number[], srpe: [] as number[], distance: [] as number[], hsr: [] as number[], playerLoad: [] as number[] };
    for (const athleteId of athletes) {
      for (let day = firstDay; day <= lastDay; day += DAY_MS) {
        const entry = daily.get(`${athleteId}/${day}`) ?? { trimp: 0, srpe: 0, distance: 0, hsr: 0, playerLoad: 0 };
        rows.athlete.push(athleteId);
        rows.day.push(isoDay(day));
        rows.trimp.push(entry.trimp);
        rows.srpe.push(entry.srpe);
        rows.distance.push(entry.distance);
        rows.hsr.push(entry.hsr);
        rows.playerLoad.push(entry.playerLoad);
      }
    }
    await db.query(
      `insert into athlete_daily_loads (athlete_id, day, trimp, srpe, distance_m, hsr_m, player_load)
       select * from unnest($1::uuid[], $2::date[], $3::real[], $4::real[], $5::real[], $6::real[], $7::real[])`,
      [rows.athlete, rows.day, rows.trimp, rows.srpe, rows.distance, rows.hsr, rows.playerLoad],
    );
    await db.query('commit');
    await db.query('analyze');
    return {
      teamId,
      athletes: athletes.length,
      days: (lastDay - firstDay) / DAY_MS + 1,
      sessions: sessionIds.length,
      dailyRows: rows.athlete.length,
      sessionLoadRows: load.session.length,
      seedS: (performance.now() - started) / 1000,
    };
  } finally {
    await db.end();
  }
}

/** Checks one answer is the whole season for the whole team; returns its size in bytes. */
async function fetchSeason(url: string, token: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`the season view answered ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { athletes?: { days?: unknown[] }[]; mean?: unknown[] };
  const seasonDays = (Date.parse(SEASON.to) - Date.parse(SEASON.from)) / DAY_MS + 1;
  if (body.athletes?.length !== PORTAL_ATHLETES || body.mean?.length !== seasonDays || body.athletes.some((a) => a.days?.length !== seasonDays)) {
    throw new Error(`the season view did not hold ${PORTAL_ATHLETES} athletes × ${seasonDays} days and their mean`);
  }
  return { ms, bytes: Buffer.byteLength(text) };
}

/** Each client sends `perClient` requests one after another, or fewer if `maxSeconds` run out first. */
async function requestRun(url: string, token: string, clients: number, perClient: number, maxSeconds: number): Promise<RequestRun> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient && performance.now() < deadline; i++) latencies.push((await fetchSeason(url, token)).ms);
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  // Latencies are kept to 0.1 ms: a request of a few ms would otherwise round to nothing.
  return { requests: latencies.length, clients, elapsedS, requestsPerS: latencies.length / elapsedS, latencyMs: summarize(latencies.map((ms) => Math.round(ms * 10) / 10)) };
}

export async function measureSeasonView(
  central: CentralProcess,
  seed: PortalSeed,
  plan: { warmup: number; sequential: number; clients: number; perClient: number; maxSeconds: number },
): Promise<PortalResult> {
  const path = `/api/teams/${seed.teamId}/load?from=${SEASON.from}&to=${SEASON.to}&measure=srpe`;
  if (!central.routes.teamLoad) return { status: 'waiting', seed, path, reason: 'central has no GET /api/teams/:id/load yet' };
  const url = central.url + path;
  let responseBytes = 0;
  for (let i = 0; i < plan.warmup; i++) responseBytes = (await fetchSeason(url, central.adminToken)).bytes;
  const sequential = await requestRun(url, central.adminToken, 1, plan.sequential, plan.maxSeconds);
  const concurrent = await requestRun(url, central.adminToken, plan.clients, plan.perClient, plan.maxSeconds);
  return { status: 'measured', seed, path, responseBytes, sequential, concurrent };
}
