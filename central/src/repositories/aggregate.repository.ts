/**
 * What the aggregator reads and writes: the readings of a session window, athlete profiles, the
 * computed session, drill and daily figures, and the queue of work still owed. Days are
 * 'YYYY-MM-DD' in UTC throughout; dates are always read back as text so no time zone shifts them.
 */
import { sql, type Kysely } from 'kysely';
import type { CentralDatabase } from '../db/tables.ts';

export interface AthleteDay {
  athleteId: string;
  day: string;
}

export interface LoadFigures {
  duration_s: number | null;
  hr_mean: number | null;
  hr_max: number | null;
  trimp: number | null;
  distance_m: number | null;
  hsr_m: number | null;
  sprint_m: number | null;
  player_load: number | null;
}

export interface SessionLoadRow extends LoadFigures {
  athlete_id: string;
  srpe: number | null;
}

export interface DrillLoadRow extends LoadFigures {
  drill_local_id: string;
  athlete_id: string;
}

export interface DailyFigures {
  trimp: number | null;
  srpe: number | null;
  distance_m: number | null;
  hsr_m: number | null;
  player_load: number | null;
  entries: number;
}

/** How long a queued session waits before it is computed (see enqueueSessions). */
export interface QueueWait {
  quietMs: number;
  maxDelayMs: number;
  endedMaxDelayMs: number;
}

export const AT_ONCE: QueueWait = Object.freeze({ quietMs: 0, maxDelayMs: 0, endedMaxDelayMs: 0 });

const dayText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

export class AggregateRepository {
  private readonly db: Kysely<CentralDatabase>;

  constructor(db: Kysely<CentralDatabase>) {
    this.db = db;
  }

  /** Central ids of a hub's sessions and athletes, by the hub's own ids. */
  async resolveHubIds(hubId: string, sessionLocalIds: readonly string[], athleteLocalIds: readonly string[]) {
    const sessions = sessionLocalIds.length
      ? await this.db.selectFrom('sessions').select('id').where('hub_id', '=', hubId).where('local_id', 'in', [...sessionLocalIds]).execute()
      : [];
    const athletes = athleteLocalIds.length
      ? await this.db.selectFrom('athletes').select(['id', 'local_id']).where('hub_id', '=', hubId).where('local_id', 'in', [...athleteLocalIds]).execute()
      : [];
    return { sessionIds: sessions.map((s) => s.id), athletes: new Map(athletes.map((a) => [a.local_id!, a.id])) };
  }

  /** The hub's sessions whose window [start, end or open] overlaps any of the spans [from, to] (Unix ms). */
  async sessionsOverlapping(hubId: string, spans: readonly (readonly [number, number])[]): Promise<string[]> {
    if (spans.length === 0) return [];
    const result = await sql<{ id: string }>`
      select distinct s.id from sessions s
      join unnest(${spans.map(([from]) => new Date(from))}::timestamptz[], ${spans.map(([, to]) => new Date(to))}::timestamptz[]) as span(from_t, to_t)
        on s.started_at <= span.to_t and (s.ended_at is null or s.ended_at >= span.from_t)
      where s.hub_id = ${hubId}`.execute(this.db);
    return result.rows.map((r) => r.id);
  }

  /**
   * Queues sessions for recomputation. The request wants `quietMs` without further requests first
   * (0: at once), but waits no longer than `maxDelayMs` from the first request not yet worked off
   * (`endedMaxDelayMs` for a session that has ended): each recomputation reads the whole session,
   * so one per burst of batches rather than one per batch.
   */
  async enqueueSessions(sessionIds: readonly string[], wait: QueueWait = AT_ONCE): Promise<void> {
    if (sessionIds.length === 0) return;
    const ms = (value: number) => sql`${value} * interval '1 millisecond'`;
    await sql`
      insert into analytics_pending_sessions (session_id, quiet_until, due_by, next_attempt_at)
      select s.id, now() + ${ms(wait.quietMs)}, d.due_by, least(now() + ${ms(wait.quietMs)}, d.due_by)
      from sessions s
      cross join lateral (select now() + case when s.ended_at is null then ${ms(wait.maxDelayMs)} else ${ms(wait.endedMaxDelayMs)} end as due_by) d
      where s.id = any(${[...new Set(sessionIds)]}::uuid[])
      on conflict (session_id) do update set
        generation = analytics_pending_sessions.generation + 1,
        quiet_until = excluded.quiet_until,
        due_by = least(analytics_pending_sessions.due_by, excluded.due_by),
        next_attempt_at = least(excluded.quiet_until, analytics_pending_sessions.due_by, excluded.due_by),
        attempts = 0,
        last_error = null`.execute(this.db);
  }

  async enqueueDays(days: readonly AthleteDay[]): Promise<void> {
    const unique = [...new Map(days.map((d) => [`${d.athleteId} ${d.day}`, d])).values()];
    if (unique.length === 0) return;
    await this.db
      .insertInto('analytics_pending_days')
      .values(unique.map((d) => ({ athlete_id: d.athleteId, day: d.day, last_error: null })))
      .onConflict((oc) =>
        oc.columns(['athlete_id', 'day']).doUpdateSet({
          generation: sql`analytics_pending_days.generation + 1`,
          attempts: 0,
          next_attempt_at: sql`now()`,
          last_error: null,
        }),
      )
      .execute();
  }

  dueSessions(limit: number) {
    return this.db
      .selectFrom('analytics_pending_sessions')
      .select(['session_id as sessionId', 'generation', 'attempts'])
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  dueDays(limit: number) {
    return this.db
      .selectFrom('analytics_pending_days')
      .select(['athlete_id as athleteId', dayText('day').as('day'), 'generation', 'attempts'])
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  /**
   * How much work is due now, and in how many ms the next retry falls due (the database's clock
   * decides, as it stamps next_attempt_at).
   */
  async pendingCounts(): Promise<{ due: number; msUntilNext: number | null }> {
    const row = await sql<{ due: number; until: number | null }>`
      select ((select count(*) from analytics_pending_sessions where next_attempt_at <= now())
               + (select count(*) from analytics_pending_days where next_attempt_at <= now()))::int as due,
             extract(epoch from least((select min(next_attempt_at) from analytics_pending_sessions),
                                      (select min(next_attempt_at) from analytics_pending_days)) - now())::float8 * 1000 as until`.execute(this.db);
    const r = row.rows[0]!;
    return { due: r.due, msUntilNext: r.until };
  }

  /**
   * Removes a computed session from the queue, unless a request came in while it was computed:
   * then it stays, its longest wait counted afresh from now (the computation covered the requests
   * before it), so a session whose readings keep coming is recomputed about every max delay.
   */
  async sessionDone(sessionId: string, generation: number, wait: QueueWait): Promise<void> {
    const ms = (value: number) => sql`${value} * interval '1 millisecond'`;
    await this.db.deleteFrom('analytics_pending_sessions').where('session_id', '=', sessionId).where('generation', '=', generation).execute();
    await sql`
      update analytics_pending_sessions p set due_by = d.due_by, next_attempt_at = least(p.quiet_until, d.due_by)
      from sessions s cross join lateral (select now() + case when s.ended_at is null then ${ms(wait.maxDelayMs)} else ${ms(wait.endedMaxDelayMs)} end as due_by) d
      where p.session_id = ${sessionId} and s.id = p.session_id and p.attempts = 0`.execute(this.db);
  }

  /** Makes every session still waiting for quiet due now (failed ones keep their backoff). */
  async endWaits(): Promise<void> {
    await this.db.updateTable('analytics_pending_sessions').set({ next_attempt_at: sql<Date>`now()` }).where('attempts', '=', 0).where('next_attempt_at', '>', sql<Date>`now()`).execute();
  }

  async dayDone(day: AthleteDay, generation: number): Promise<void> {
    await this.db.deleteFrom('analytics_pending_days').where('athlete_id', '=', day.athleteId).where('day', '=', day.day).where('generation', '=', generation).execute();
  }

  async sessionFailed(sessionId: string, error: string, retryInMs: number): Promise<void> {
    await this.db
      .updateTable('analytics_pending_sessions')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: sql<Date>`now() + ${retryInMs} * interval '1 millisecond'`, last_error: error }))
      .where('session_id', '=', sessionId)
      .execute();
  }

  async dayFailed(day: AthleteDay, error: string, retryInMs: number): Promise<void> {
    await this.db
      .updateTable('analytics_pending_days')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: sql<Date>`now() + ${retryInMs} * interval '1 millisecond'`, last_error: error }))
      .where('athlete_id', '=', day.athleteId)
      .where('day', '=', day.day)
      .execute();
  }

  /** A session with its drills and RPE entries, or undefined when it is gone. */
  async sessionWindow(sessionId: string) {
    const session = await this.db.selectFrom('sessions').select(['id', 'hub_id', 'started_at', 'ended_at', 'updated_at']).where('id', '=', sessionId).executeTakeFirst();
    if (!session) return undefined;
    const drills = await this.db.selectFrom('drills').select(['local_id', 'started_at', 'ended_at']).where('session_id', '=', sessionId).orderBy('started_at').execute();
    const rpe = await this.db.selectFrom('session_rpe').select(['athlete_id', 'rpe', 'duration_min']).where('session_id', '=', sessionId).execute();
    return { ...session, drills, rpe };
  }

  /**
   * Athletes with readings from this hub in [from, to]: the hub's athletes (and its club's), each
   * probed in its (athlete, t) index range, rather than a distinct over every reading of the window.
   */
  async athletesWithReadings(hubId: string, from: Date, to: Date): Promise<string[]> {
    const result = await sql<{ id: string }>`
      select a.id from athletes a
      where (a.hub_id = ${hubId} or a.club_id = (select club_id from hubs where id = ${hubId}))
        and exists (select 1 from raw_samples r
                    where r.athlete_id = a.id and r.t >= ${from} and r.t <= ${to} and r.hub_id = ${hubId} and r.kind in ('hr', 'gnss', 'imu'))`.execute(this.db);
    return result.rows.map((r) => r.id);
  }

  athleteProfiles(athleteIds: readonly string[]) {
    if (athleteIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('athletes')
      .select(['id', 'hr_max', 'hr_rest', 'sex', 'mass_kg', 'birth_year', 'zones', 'thresholds'])
      .where('id', 'in', [...athleteIds])
      .execute();
  }

  athleteProfile(athleteId: string) {
    return this.db
      .selectFrom('athletes')
      .select(['id', 'hr_max', 'hr_rest', 'sex', 'mass_kg', 'birth_year', 'zones', 'thresholds'])
      .where('id', '=', athleteId)
      .executeTakeFirst();
  }

  /**
   * One athlete's heart-rate, GNSS and PlayerLoad readings of one hub in [from, to], in time
   * order, with the numbers pulled out of the JSON by PostgreSQL. One pass over the athlete's
   * index range, split by kind here: an athlete's rows lie interleaved with the squad's on disk,
   * so each pass costs a heap visit per row.
   */
  async readings(athleteId: string, hubId: string, from: Date, to: Date) {
    const num = (key: string) => sql<number | null>`(body->>${sql.lit(key)})::float8`;
    const rows = await this.db
      .selectFrom('raw_samples')
      .select([
        // date_part is float8 where extract is numeric (PostgreSQL 14 on), far slower per row; times are whole ms.
        sql<number>`round(date_part('epoch', t) * 1000)`.as('t'),
        'kind',
        sql<number | null>`case kind when 'hr' then ${num('bpm')} when 'imu' then ${num('playerLoad')} else ${num('lat')} end`.as('a'),
        sql<number | null>`case when kind = 'gnss' then ${num('lon')} end`.as('lon'),
        sql<number | null>`case when kind = 'gnss' then ${num('speed')} end`.as('speed'),
        sql<number | null>`case when kind = 'gnss' then ${num('hdop')} end`.as('hdop'),
        sql<number | null>`case when kind = 'gnss' then ${num('sats')} end`.as('sats'),
      ])
      .where('athlete_id', '=', athleteId)
      .where('hub_id', '=', hubId)
      .where('t', '>=', from)
      .where('t', '<=', to)
      .where('kind', 'in', ['hr', 'gnss', 'imu'])
      .orderBy('t')
      .execute();
    const hr: { t: number; bpm: number | null }[] = [];
    const gnss: { t: number; lat: number | null; lon: number | null; speed: number | null; hdop: number | null; sats: number | null }[] = [];
    const imu: { t: number; playerLoad: number | null }[] = [];
    for (const r of rows) {
      if (r.kind === 'hr') hr.push({ t: r.t, bpm: r.a });
      else if (r.kind === 'imu') imu.push({ t: r.t, playerLoad: r.a });
      else gnss.push({ t: r.t, lat: r.a, lon: r.lon, speed: r.speed, hdop: r.hdop, sats: r.sats });
    }
    return { hr, gnss, imu };
  }

  /**
   * Replaces a session's per-athlete and per-drill figures and its mark in one transaction;
   * returns the day it was counted on before, if it had been computed.
   */
  async replaceSessionLoads(
    sessionId: string,
    sessions: readonly SessionLoadRow[],
    drills: readonly DrillLoadRow[],
    mark: { day: string; sessionUpdatedAt: Date },
  ): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const previous = await trx.selectFrom('session_aggregate_marks').select(dayText('day').as('day')).where('session_id', '=', sessionId).executeTakeFirst();
      await trx.deleteFrom('session_athlete_loads').where('session_id', '=', sessionId).execute();
      await trx.deleteFrom('drill_athlete_loads').where('session_id', '=', sessionId).execute();
      if (sessions.length > 0) await trx.insertInto('session_athlete_loads').values(sessions.map((r) => ({ ...r, session_id: sessionId }))).execute();
      if (drills.length > 0) await trx.insertInto('drill_athlete_loads').values(drills.map((r) => ({ ...r, session_id: sessionId }))).execute();
      await trx
        .insertInto('session_aggregate_marks')
        .values({ session_id: sessionId, day: mark.day, session_updated_at: mark.sessionUpdatedAt })
        .onConflict((oc) => oc.column('session_id').doUpdateSet({ day: mark.day, session_updated_at: mark.sessionUpdatedAt, computed_at: sql<Date>`now()` }))
        .execute();
      return previous?.day;
    });
  }

  /** Queues every session changed since it was last computed, or never computed. */
  async enqueueStaleSessions(): Promise<void> {
    await sql`
      insert into analytics_pending_sessions (session_id)
      select s.id from sessions s left join session_aggregate_marks m on m.session_id = s.id
      where m.session_id is null or s.updated_at > m.session_updated_at
      on conflict do nothing`.execute(this.db);
  }

  /** Athletes that had figures for this session before a recomputation (their days change too). */
  async athletesOfSessionLoads(sessionId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('session_athlete_loads').select('athlete_id').where('session_id', '=', sessionId).execute();
    return rows.map((r) => r.athlete_id);
  }

  /** The sums of one athlete's sessions (by start) and workouts on one UTC day. */
  async dailyFigures(day: AthleteDay): Promise<DailyFigures> {
    const result = await sql<DailyFigures>`
      with entries as (
        select l.trimp, l.srpe, l.distance_m, l.hsr_m, l.player_load
        from session_athlete_loads l join sessions s on s.id = l.session_id
        where l.athlete_id = ${day.athleteId}
          and s.started_at >= (${day.day}::date)::timestamp at time zone 'UTC'
          and s.started_at < (${day.day}::date + 1)::timestamp at time zone 'UTC'
        union all
        select w.trimp, null, w.distance_m, null, null
        from workouts w
        where w.athlete_id = ${day.athleteId}
          and w.started_at >= (${day.day}::date)::timestamp at time zone 'UTC'
          and w.started_at < (${day.day}::date + 1)::timestamp at time zone 'UTC'
      )
      select sum(trimp)::float8 as trimp, sum(srpe)::float8 as srpe, sum(distance_m)::float8 as distance_m,
             sum(hsr_m)::float8 as hsr_m, sum(player_load)::float8 as player_load, count(*)::int as entries
      from entries`.execute(this.db);
    return result.rows[0]!;
  }

  async saveDaily(day: AthleteDay, figures: DailyFigures | null): Promise<void> {
    if (!figures) {
      await this.db.deleteFrom('athlete_daily_loads').where('athlete_id', '=', day.athleteId).where('day', '=', sql<Date>`${day.day}::date`).execute();
      return;
    }
    const values = { trimp: figures.trimp, srpe: figures.srpe, distance_m: figures.distance_m, hsr_m: figures.hsr_m, player_load: figures.player_load };
    await this.db
      .insertInto('athlete_daily_loads')
      .values({ athlete_id: day.athleteId, day: day.day, ...values })
      .onConflict((oc) => oc.columns(['athlete_id', 'day']).doUpdateSet({ ...values, computed_at: sql`now()` } as never))
      .execute();
  }
}
