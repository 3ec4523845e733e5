/** Reads behind the analytics API: daily loads, session figures, drills, HRV beats, team rosters. */
import { sql, type Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

/** The columns of athlete_daily_loads that hold a measure. */
export type LoadColumn = 'trimp' | 'srpe' | 'distance_m' | 'hsr_m' | 'player_load';

export interface DailyMeasureRow {
  athleteId: string;
  day: string;
  /** The measure's value; null when the day's entries did not have it. */
  load: number | null;
}

const LOAD_COLUMNS = [
  'duration_s',
  'hr_mean',
  'hr_max',
  'trimp',
  'distance_m',
  'hsr_m',
  'sprint_m',
  'player_load',
] as const;

export class AnalyticsRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  /**
   * One measure of every daily row of these athletes up to and including `to` (the load models
   * want the history), by athlete then day.
   */
  dailyMeasure(athleteIds: readonly string[], to: string, column: LoadColumn): Promise<DailyMeasureRow[]> {
    if (athleteIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('athlete_daily_loads')
      .select(['athlete_id as athleteId', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), sql.ref<number | null>(column).as('load')])
      .where('athlete_id', 'in', [...athleteIds])
      .where('day', '<=', sql<Date>`${to}::date`)
      .orderBy('athlete_id')
      .orderBy('day')
      .execute();
  }

  athlete(athleteId: string) {
    return this.db
      .selectFrom('athletes')
      .select(['id', 'name', 'number', 'position', 'team_id', 'club_id', 'hr_max', 'hr_rest', 'sex', 'mass_kg', 'birth_year'])
      .where('id', '=', athleteId)
      .executeTakeFirst();
  }

  athletes(athleteIds: readonly string[]) {
    if (athleteIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('athletes').select(['id', 'name', 'number', 'position', 'team_id', 'club_id']).where('id', 'in', [...athleteIds]).execute();
  }

  team(teamId: string) {
    return this.db.selectFrom('teams').select(['id', 'name', 'club_id']).where('id', '=', teamId).executeTakeFirst();
  }

  /** The team's current (not archived) athletes, by shirt number then name. */
  teamAthletes(teamId: string) {
    return this.db
      .selectFrom('athletes')
      .select(['id', 'name', 'number', 'position', 'team_id', 'club_id'])
      .where('team_id', '=', teamId)
      .where('archived', '=', false)
      .orderBy('number')
      .orderBy('name')
      .execute();
  }

  /** Current athletes sharing a position within a team (or, for athletes without one, a club). */
  positionPeers(group: { teamId: string | null; clubId: string }, position: string) {
    let query = this.db
      .selectFrom('athletes')
      .innerJoin('clubs', 'clubs.id', 'athletes.club_id')
      .select(['athletes.id', 'athletes.team_id', 'athletes.club_id', 'clubs.organisation_id'])
      .where('athletes.position', '=', position)
      .where('athletes.archived', '=', false);
    query = group.teamId ? query.where('athletes.team_id', '=', group.teamId) : query.where('athletes.club_id', '=', group.clubId).where('athletes.team_id', 'is', null);
    return query.execute();
  }

  /** An athlete's sessions starting in [from, to) with their figures, oldest first. */
  athleteSessions(athleteId: string, from: Date, to: Date) {
    return this.db
      .selectFrom('session_athlete_loads as l')
      .innerJoin('sessions as s', 's.id', 'l.session_id')
      .select(['s.id', 's.name', 's.kind', 's.started_at', 's.ended_at', 'l.srpe', ...LOAD_COLUMNS.map((c) => `l.${c}` as const)])
      .where('l.athlete_id', '=', athleteId)
      .where('s.started_at', '>=', from)
      .where('s.started_at', '<', to)
      .orderBy('s.started_at')
      .execute();
  }

  session(sessionId: string) {
    return this.db.selectFrom('sessions').select(['id', 'name', 'kind', 'club_id', 'started_at', 'ended_at']).where('id', '=', sessionId).executeTakeFirst();
  }

  sessionLoads(sessionId: string) {
    return this.db
      .selectFrom('session_athlete_loads as l')
      .innerJoin('athletes as a', 'a.id', 'l.athlete_id')
      .select(['l.athlete_id', 'a.name', 'l.srpe', ...LOAD_COLUMNS.map((c) => `l.${c}` as const)])
      .where('l.session_id', '=', sessionId)
      .orderBy('a.number')
      .orderBy('a.name')
      .execute();
  }

  drills(sessionId: string) {
    return this.db.selectFrom('drills').select(['id', 'local_id', 'name', 'started_at', 'ended_at']).where('session_id', '=', sessionId).orderBy('started_at').execute();
  }

  drillLoads(sessionId: string) {
    return this.db
      .selectFrom('drill_athlete_loads as l')
      .innerJoin('athletes as a', 'a.id', 'l.athlete_id')
      .select(['l.drill_local_id', 'l.athlete_id', 'a.name', ...LOAD_COLUMNS.map((c) => `l.${c}` as const)])
      .where('l.session_id', '=', sessionId)
      .orderBy('a.number')
      .orderBy('a.name')
      .execute();
  }

  /** The beat-to-beat intervals an athlete's straps sent in [from, to), in time order. */
  async rrIntervals(athleteId: string, from: Date, to: Date): Promise<{ t: number; rr: number[] }[]> {
    const rows = await this.db
      .selectFrom('raw_samples')
      .select([sql<number>`(extract(epoch from t) * 1000)::float8`.as('t'), sql<number[]>`body->'rr'`.as('rr')])
      .where('athlete_id', '=', athleteId)
      .where('kind', '=', 'hr')
      .where('t', '>=', from)
      .where('t', '<', to)
      .where(sql<boolean>`jsonb_array_length(coalesce(body->'rr', '[]'::jsonb)) > 0`)
      .orderBy('t')
      .execute();
    return rows;
  }
}
