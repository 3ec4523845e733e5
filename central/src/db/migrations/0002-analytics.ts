/**
 * Analytics: uploaded workouts, per-drill figures, and the queue of aggregates waiting to be
 * (re)computed. session_athlete_loads and athlete_daily_loads come from 0001.
 *
 * Figures are double precision (real, float4, would round 92,622.34 m to 92,622.34375).
 * Drill figures are keyed by the drill's hub id (session, local_id), not drills.id: a session's
 * drills are replaced whenever the hub re-sends the session, and the figures must survive that.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  // 0001 made these real (float4): about 7 digits, which rounds a TRIMP in its 7th digit and a
  // long ride's distance by centimetres. The aggregates are computed in float8; keep them so.
  `alter table session_athlete_loads
    alter column duration_s type double precision, alter column hr_mean type double precision,
    alter column hr_max type double precision, alter column trimp type double precision,
    alter column srpe type double precision, alter column distance_m type double precision,
    alter column hsr_m type double precision, alter column sprint_m type double precision,
    alter column player_load type double precision`,
  `alter table athlete_daily_loads
    alter column trimp type double precision, alter column srpe type double precision,
    alter column distance_m type double precision, alter column hsr_m type double precision,
    alter column player_load type double precision`,
  `create table workouts (
    id uuid primary key default gen_random_uuid(),
    athlete_id uuid not null references athletes(id) on delete cascade,
    filename text not null,
    format text not null,
    sport text not null,
    started_at timestamptz not null,
    duration_s double precision not null,
    distance_m double precision,
    hr_mean double precision,
    hr_max double precision,
    trimp double precision,
    uploaded_by text not null,
    uploaded_at timestamptz not null default now()
  )`,
  `create index workouts_athlete_start on workouts (athlete_id, started_at)`,
  `create table drill_athlete_loads (
    session_id uuid not null references sessions(id) on delete cascade,
    drill_local_id text not null,
    athlete_id uuid not null references athletes(id) on delete cascade,
    duration_s double precision,
    hr_mean double precision,
    hr_max double precision,
    trimp double precision,
    distance_m double precision,
    hsr_m double precision,
    sprint_m double precision,
    player_load double precision,
    computed_at timestamptz not null default now(),
    primary key (session_id, drill_local_id, athlete_id)
  )`,
  `create index session_athlete_loads_athlete on session_athlete_loads (athlete_id)`,
  // Work the aggregator still owes: a row stays until its computation succeeds, so a failure
  // (or a restart) only delays it. next_attempt_at backs off after failures; generation grows with
  // each new request, so finishing a computation never drops a request that arrived during it.
  // The day each session was last counted on and the version of the session row it was computed
  // from: a session moved to another day also clears its old day, and on start every session
  // changed since (or never computed) is queued again, which also backfills older uploads.
  `create table session_aggregate_marks (
    session_id uuid primary key references sessions(id) on delete cascade,
    day date not null,
    session_updated_at timestamptz not null,
    computed_at timestamptz not null default now()
  )`,
  `create table analytics_pending_sessions (
    session_id uuid primary key references sessions(id) on delete cascade,
    generation integer not null default 0,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text
  )`,
  `create table analytics_pending_days (
    athlete_id uuid not null references athletes(id) on delete cascade,
    day date not null,
    generation integer not null default 0,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    primary key (athlete_id, day)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
