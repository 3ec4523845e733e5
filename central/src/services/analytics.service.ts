/**
 * The analytics API's answers: load over days, HRV, an athlete's sessions, session reports and
 * comparisons. Every athlete or team read passes DataScope first (which audits health reads), and
 * every figure comes from the aggregates or from @touchline/core's functions.
 *
 * Load models (ACWR, EWMA ACWR, monotony, strain, CTL/ATL/TSB) run over the whole stored history
 * up to `to`, not just [from, to], so the first days shown are not cold-started. Rest days are 0.
 */
import {
  correctArtifacts,
  dateOfDayNumber,
  dayNumberOf,
  hrvTimeDomain,
  loadMetricsByDay,
  rrIntervalProblem,
  TIME_DOMAIN_MIN_INTERVALS,
  TouchlineError,
  type DailyLoad,
} from '@touchline/core';
import type { AnalyticsRepository, DailyMeasureRow, LoadColumn } from '../repositories/analytics.repository.ts';
import type { AthleteLoad, AthleteSession, Comparison, HrvDay, LoadDay, Measure, SessionReport, TeamLoad } from '../schemas/analytics.schema.ts';
import type { Principal } from './auth.service.ts';
import type { DataScope } from './data-scope.service.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 28;
/** Ten years: a longer window is almost certainly a mistake and would be slow to draw. */
const MAX_RANGE_DAYS = 3660;
/** HRV needs about a minute of beats (Esco & Flatt 2014, J Sports Sci Med 13(3):535–541), as on the hub. */
const HRV_MIN_RR_MS = 60_000;
const MAX_COMPARED = 30;

const MEASURE_COLUMN: Record<Measure, LoadColumn> = {
  trimp: 'trimp',
  srpe: 'srpe',
  distance: 'distance_m',
  hsr: 'hsr_m',
  playerLoad: 'player_load',
};

export interface DayRange {
  from: string;
  to: string;
}

interface RangeQuery {
  from?: string;
  to?: string;
}

function badRange(message: string): TouchlineError {
  return new TouchlineError('TL_ERR_VALIDATION', message);
}

type Figures = Omit<SessionReport['team'], never>;
const FIGURE_KEYS = ['durationS', 'hrMean', 'hrMax', 'trimp', 'srpe', 'distanceM', 'hsrM', 'sprintM', 'playerLoad'] as const;

function figuresOf(row: {
  duration_s: number | null;
  hr_mean: number | null;
  hr_max: number | null;
  trimp: number | null;
  srpe?: number | null;
  distance_m: number | null;
  hsr_m: number | null;
  sprint_m: number | null;
  player_load: number | null;
}): Figures {
  return {
    durationS: row.duration_s,
    hrMean: row.hr_mean,
    hrMax: row.hr_max,
    trimp: row.trimp,
    srpe: row.srpe ?? null,
    distanceM: row.distance_m,
    hsrM: row.hsr_m,
    sprintM: row.sprint_m,
    playerLoad: row.player_load,
  };
}

/** Mean of each figure over the entries that have it; null where none has it. */
function meanFigures(rows: readonly Figures[]): Figures {
  const out = {} as Record<(typeof FIGURE_KEYS)[number], number | null>;
  for (const key of FIGURE_KEYS) {
    const values = rows.map((r) => r[key]).filter((v): v is number => v !== null);
    out[key] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }
  return out;
}

/**
 * Decimals each load figure is given with: finer than anyone reads them (ratios to 0.001, loads and
 * the CTL/ATL family to 0.01 of their unit) and far coarser than double precision, which would
 * more than double the size of a season's answer for digits that carry no information.
 */
const RATIO_SCALE = 1000;
const LOAD_SCALE = 100;
const round = (value: number, scale: number) => Math.round(value * scale) / scale;
const roundOrNull = (value: number | null, scale: number) => (value === null ? null : round(value, scale));

/**
 * One load series: the measure's daily values (rest days 0) through core's load table, from the
 * first stored day up to `to`, then cut to [from, to].
 */
export function loadDays(entries: readonly DailyLoad[], range: DayRange): LoadDay[] {
  const { rows } = loadMetricsByDay([...entries, { date: range.from, load: 0 }, { date: range.to, load: 0 }]);
  // One row per calendar day from the first entry's, and `from` and `to` are among the entries.
  const first = dayNumberOf(rows[0]!.date)!;
  const out: LoadDay[] = [];
  for (let i = dayNumberOf(range.from)! - first, last = dayNumberOf(range.to)! - first; i <= last; i++) {
    const r = rows[i]!;
    out.push({
      day: r.date,
      load: round(r.load, LOAD_SCALE),
      acwr: roundOrNull(r.acwr, RATIO_SCALE),
      acwrEwma: roundOrNull(r.acwr_ewma, RATIO_SCALE),
      monotony: roundOrNull(r.monotony, RATIO_SCALE),
      strain: roundOrNull(r.strain, LOAD_SCALE),
      ctl: round(r.ctl, LOAD_SCALE),
      atl: round(r.atl, LOAD_SCALE),
      tsb: round(r.tsb, LOAD_SCALE),
    });
  }
  return out;
}

function entriesOf(rows: readonly DailyMeasureRow[]): DailyLoad[] {
  return rows.map((r) => ({ date: r.day, load: r.load ?? 0 }));
}

/** The mean daily load over `athletes` (each counted on every day, 0 when they did not train). */
function meanEntries(rowsByAthlete: ReadonlyMap<string, DailyMeasureRow[]>, athletes: readonly string[]): DailyLoad[] {
  if (athletes.length === 0) return [];
  const sums = new Map<string, number>();
  for (const id of athletes) for (const r of rowsByAthlete.get(id) ?? []) sums.set(r.day, (sums.get(r.day) ?? 0) + (r.load ?? 0));
  return [...sums].map(([date, sum]) => ({ date, load: sum / athletes.length }));
}

function groupByAthlete(rows: readonly DailyMeasureRow[]): Map<string, DailyMeasureRow[]> {
  const map = new Map<string, DailyMeasureRow[]>();
  for (const row of rows) {
    const list = map.get(row.athleteId);
    if (list) list.push(row);
    else map.set(row.athleteId, [row]);
  }
  return map;
}

export class AnalyticsService {
  private readonly repo: AnalyticsRepository;
  private readonly scope: DataScope;
  private readonly now: () => number;

  constructor(repo: AnalyticsRepository, scope: DataScope, now: () => number = Date.now) {
    this.repo = repo;
    this.scope = scope;
    this.now = now;
  }

  /** [from, to] with defaults (the last 28 days up to today, UTC), checked. */
  range(query: RangeQuery): DayRange {
    const to = query.to ?? dateOfDayNumber(Math.floor(this.now() / DAY_MS));
    const toDay = dayNumberOf(to);
    if (toDay === undefined) throw badRange(`to must be a calendar day YYYY-MM-DD, got ${to}`);
    const from = query.from ?? dateOfDayNumber(toDay - DEFAULT_DAYS + 1);
    const fromDay = dayNumberOf(from);
    if (fromDay === undefined) throw badRange(`from must be a calendar day YYYY-MM-DD, got ${from}`);
    if (fromDay > toDay) throw badRange(`from (${from}) is after to (${to})`);
    if (toDay - fromDay + 1 > MAX_RANGE_DAYS) throw badRange(`The range spans ${toDay - fromDay + 1} days; ask for at most ${MAX_RANGE_DAYS}`);
    return { from, to };
  }

  async athleteLoad(principal: Principal, athleteId: string, query: RangeQuery & { measure?: Measure }): Promise<AthleteLoad> {
    const range = this.range(query);
    const measure = query.measure ?? 'srpe';
    await this.scope.requireAthlete(principal, athleteId, 'load');
    const rows = await this.repo.dailyMeasure([athleteId], range.to, MEASURE_COLUMN[measure]);
    return { athleteId, measure, days: loadDays(entriesOf(rows), range) };
  }

  async teamLoad(principal: Principal, teamId: string, query: RangeQuery & { measure?: Measure }): Promise<TeamLoad> {
    const range = this.range(query);
    const measure = query.measure ?? 'srpe';
    await this.scope.requireTeam(principal, teamId);
    const athletes = await this.repo.teamAthletes(teamId);
    const ids = athletes.map((a) => a.id);
    await this.scope.requireAthletes(principal, ids, 'team-load', teamId);
    const byAthlete = groupByAthlete(await this.repo.dailyMeasure(ids, range.to, MEASURE_COLUMN[measure]));
    return {
      teamId,
      measure,
      athletes: athletes.map((a) => ({
        athleteId: a.id,
        name: a.name,
        number: a.number,
        position: a.position,
        days: loadDays(entriesOf(byAthlete.get(a.id) ?? []), range),
      })),
      mean: loadDays(meanEntries(byAthlete, ids), range),
    };
  }

  /** RMSSD per day of the beat-to-beat intervals the athlete's straps sent, after artifact correction. */
  async hrv(principal: Principal, athleteId: string, query: RangeQuery): Promise<HrvDay[]> {
    const range = this.range(query);
    await this.scope.requireAthlete(principal, athleteId, 'hrv');
    const rows = await this.repo.rrIntervals(athleteId, new Date(dayNumberOf(range.from)! * DAY_MS), new Date((dayNumberOf(range.to)! + 1) * DAY_MS));
    const byDay = new Map<string, number[]>();
    for (const row of rows) {
      const day = dateOfDayNumber(Math.floor(row.t / DAY_MS));
      const list = byDay.get(day) ?? [];
      for (const ms of row.rr) if (rrIntervalProblem(ms) === undefined) list.push(ms);
      byDay.set(day, list);
    }
    const out: HrvDay[] = [];
    for (const [day, rr] of byDay) {
      if (rr.length < TIME_DOMAIN_MIN_INTERVALS || rr.reduce((a, b) => a + b, 0) < HRV_MIN_RR_MS) continue;
      const { nn } = correctArtifacts(rr);
      if (nn.length < TIME_DOMAIN_MIN_INTERVALS) continue;
      out.push({ day, rmssdMs: hrvTimeDomain(nn).rmssdMs, beats: rr.length });
    }
    return out.sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  async athleteSessions(principal: Principal, athleteId: string, query: RangeQuery): Promise<AthleteSession[]> {
    const range = this.range(query);
    await this.scope.requireAthlete(principal, athleteId, 'sessions');
    const rows = await this.repo.athleteSessions(athleteId, new Date(dayNumberOf(range.from)! * DAY_MS), new Date((dayNumberOf(range.to)! + 1) * DAY_MS));
    return rows.map((r) => ({
      sessionId: r.id,
      name: r.name,
      kind: r.kind,
      startedAt: r.started_at.getTime(),
      endedAt: r.ended_at?.getTime() ?? null,
      ...figuresOf(r),
    }));
  }

  /**
   * A session's figures for the athletes the caller may see (a team's coach sees their team's
   * players of a club session). A session with none of them is, for this caller, not found.
   */
  async sessionReport(principal: Principal, sessionId: string): Promise<SessionReport> {
    const session = await this.repo.session(sessionId);
    if (!session) throw new TouchlineError('TL_ERR_NOT_FOUND', `No session ${sessionId}`);
    const loads = await this.repo.sessionLoads(sessionId);
    const visible = new Set<string>();
    for (const row of loads) if (await this.mayRead(principal, row.athlete_id, 'session-report')) visible.add(row.athlete_id);
    if (visible.size === 0 && !(await this.mayReadClub(principal, session.club_id))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No session ${sessionId}`);
    const athletes = loads.filter((r) => visible.has(r.athlete_id)).map((r) => ({ athleteId: r.athlete_id, name: r.name, ...figuresOf(r) }));
    const drillLoads = (await this.repo.drillLoads(sessionId)).filter((r) => visible.has(r.athlete_id));
    const drills = (await this.repo.drills(sessionId)).map((d) => ({
      id: d.id,
      name: d.name,
      startedAt: d.started_at.getTime(),
      endedAt: d.ended_at?.getTime() ?? null,
      athletes: drillLoads
        .filter((r) => r.drill_local_id === d.local_id)
        .map((r) => ({ athleteId: r.athlete_id, name: r.name, durationS: r.duration_s, hrMean: r.hr_mean, trimp: r.trimp, distanceM: r.distance_m, hsrM: r.hsr_m, playerLoad: r.player_load })),
    }));
    return {
      session: { id: session.id, name: session.name, kind: session.kind, clubId: session.club_id, startedAt: session.started_at.getTime(), endedAt: session.ended_at?.getTime() ?? null },
      athletes,
      team: meanFigures(athletes),
      drills,
    };
  }

  /** Daily loads of some athletes side by side, with their teams' or positions' mean if asked. */
  async compare(principal: Principal, query: RangeQuery & { measure?: Measure; athletes: string; versus?: 'team' | 'position' }): Promise<Comparison> {
    const range = this.range(query);
    const measure = query.measure ?? 'srpe';
    const ids = [...new Set(query.athletes.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length === 0 || ids.length > MAX_COMPARED) throw badRange(`athletes must list 1 to ${MAX_COMPARED} athlete ids`);
    if (ids.some((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))) throw badRange('athletes must be comma-separated athlete ids');
    for (const id of ids) await this.scope.requireAthlete(principal, id, 'compare');
    const athletes = await this.repo.athletes(ids);
    const byId = new Map(athletes.map((a) => [a.id, a]));

    interface Group {
      label: string;
      kind: 'team' | 'position';
      id: string;
      members: string[];
    }
    const groups: Group[] = [];
    if (query.versus === 'team') {
      for (const teamId of new Set(athletes.map((a) => a.team_id).filter((t): t is string => t !== null))) {
        await this.scope.requireTeam(principal, teamId);
        const team = await this.repo.team(teamId);
        const members = (await this.repo.teamAthletes(teamId)).map((a) => a.id);
        groups.push({ label: team?.name ?? teamId, kind: 'team', id: teamId, members });
      }
    } else if (query.versus === 'position') {
      const seen = new Set<string>();
      for (const a of athletes) {
        if (!a.position) continue;
        const key = `${a.team_id ?? a.club_id} ${a.position}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const peers = await this.repo.positionPeers({ teamId: a.team_id, clubId: a.club_id }, a.position);
        const members: string[] = [];
        for (const p of peers) if (await this.scope.reaches(principal, { organisationId: p.organisation_id, clubId: p.club_id, teamId: p.team_id, athleteId: p.id })) members.push(p.id);
        const team = a.team_id ? await this.repo.team(a.team_id) : undefined;
        groups.push({ label: team ? `${a.position} (${team.name})` : a.position, kind: 'position', id: a.position, members });
      }
    }

    const everyone = [...new Set([...ids, ...groups.flatMap((g) => g.members)])];
    const rows = groupByAthlete(await this.repo.dailyMeasure(everyone, range.to, MEASURE_COLUMN[measure]));
    const daysOf = (entries: DailyLoad[]) => loadDays(entries, range).map((d) => ({ day: d.day, load: d.load }));
    return {
      measure,
      series: [
        ...ids.map((id) => ({ label: byId.get(id)?.name ?? id, kind: 'athlete' as const, id, days: daysOf(entriesOf(rows.get(id) ?? [])) })),
        ...groups.map((g) => ({ label: g.label, kind: g.kind, id: g.id, days: daysOf(meanEntries(rows, g.members)) })),
      ],
    };
  }

  private async mayRead(principal: Principal, athleteId: string, purpose: string): Promise<boolean> {
    try {
      await this.scope.requireAthlete(principal, athleteId, purpose);
      return true;
    } catch (err) {
      if (err instanceof TouchlineError && err.code === 'TL_ERR_NOT_FOUND') return false;
      throw err;
    }
  }

  private async mayReadClub(principal: Principal, clubId: string): Promise<boolean> {
    try {
      await this.scope.requireClub(principal, clubId);
      return true;
    } catch (err) {
      if (err instanceof TouchlineError && err.code === 'TL_ERR_NOT_FOUND') return false;
      throw err;
    }
  }
}
