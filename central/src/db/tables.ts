/**
 * Row types of central's PostgreSQL tables, as Kysely sees them. bigint columns arrive as numbers
 * (database.ts installs the parser; every count and sequence here stays below 2^53).
 */
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
}

export interface ClubsTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  club_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface HubsTable {
  id: Generated<string>;
  club_id: string;
  name: string;
  credential_hash: string | null;
  enrolled_at: NullableTimestamp;
  last_seen_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface HubEnrolmentCodesTable {
  code_hash: string;
  hub_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AthletesTable {
  id: Generated<string>;
  club_id: string;
  team_id: string | null;
  hub_id: string | null;
  local_id: string | null;
  name: string;
  number: number | null;
  position: string | null;
  group_name: string | null;
  hr_max: number | null;
  hr_rest: number | null;
  sex: string | null;
  mass_kg: number | null;
  birth_year: number | null;
  zones: Json<number[] | null>;
  thresholds: Json<{ hsr: number; sprint: number } | null>;
  archived: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SessionsTable {
  id: Generated<string>;
  club_id: string;
  hub_id: string;
  local_id: string;
  name: string;
  kind: string;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  notes: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DrillsTable {
  id: Generated<string>;
  session_id: string;
  local_id: string;
  name: string;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface SessionRpeTable {
  session_id: string;
  athlete_id: string;
  rpe: number;
  duration_min: number;
  entered_at: Timestamp;
}

export interface RawSamplesTable {
  hub_id: string;
  stream: string;
  seq: number;
  t: Timestamp;
  sensor_id: string;
  athlete_id: string | null;
  kind: string;
  body: Json<Record<string, unknown>>;
}

export interface UplinkStreamsTable {
  hub_id: string;
  stream: string;
  acked_seq: number;
  rows_stored: number;
  last_batch_at: NullableTimestamp;
}

export interface UplinkRangesTable {
  hub_id: string;
  stream: string;
  seq_from: number;
  seq_to: number;
}

/** A hub's athlete head office erased: the uplink leaves them out of later batches. */
export interface ErasedAthletesTable {
  hub_id: string;
  local_id: string;
  erased_at: CreatedAt;
}

export interface SessionAthleteLoadsTable {
  session_id: string;
  athlete_id: string;
  duration_s: number | null;
  hr_mean: number | null;
  hr_max: number | null;
  trimp: number | null;
  srpe: number | null;
  distance_m: number | null;
  hsr_m: number | null;
  sprint_m: number | null;
  player_load: number | null;
  computed_at: CreatedAt;
}

export interface AthleteDailyLoadsTable {
  athlete_id: string;
  day: ColumnType<Date, string, string>;
  trimp: number | null;
  srpe: number | null;
  distance_m: number | null;
  hsr_m: number | null;
  player_load: number | null;
  computed_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string | null;
  created_at: CreatedAt;
  disabled_at: NullableTimestamp;
}

export interface RolesTable {
  name: string;
  description: string;
}

export interface UserRolesTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  organisation_id: string | null;
  club_id: string | null;
  team_id: string | null;
  athlete_id: string | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor: string;
  action: string;
  target: string | null;
  detail: Json<Record<string, unknown>>;
}

export interface UserIdentitiesTable {
  id: Generated<string>;
  user_id: string;
  issuer: string;
  subject: string;
  email: string | null;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
}

export interface WorkoutsTable {
  id: Generated<string>;
  athlete_id: string;
  filename: string;
  format: string;
  sport: string;
  started_at: Timestamp;
  duration_s: number;
  distance_m: number | null;
  hr_mean: number | null;
  hr_max: number | null;
  trimp: number | null;
  uploaded_by: string;
  uploaded_at: CreatedAt;
}

export interface DrillAthleteLoadsTable {
  session_id: string;
  drill_local_id: string;
  athlete_id: string;
  duration_s: number | null;
  hr_mean: number | null;
  hr_max: number | null;
  trimp: number | null;
  distance_m: number | null;
  hsr_m: number | null;
  sprint_m: number | null;
  player_load: number | null;
  computed_at: CreatedAt;
}

export interface SessionAggregateMarksTable {
  session_id: string;
  day: ColumnType<string, string, string>;
  session_updated_at: Timestamp;
  computed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AnalyticsPendingSessionsTable {
  session_id: string;
  generation: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_error: string | null;
  /** The latest request for this session wants no computation before this (its readings may still be arriving). */
  quiet_until: ColumnType<Date, Date | undefined, Date>;
  /** However many requests follow, the session is computed by this time. */
  due_by: ColumnType<Date, Date | undefined, Date>;
}

export interface AnalyticsPendingDaysTable {
  athlete_id: string;
  day: ColumnType<string, string, string>;
  generation: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_error: string | null;
}

export interface CentralDatabase {
  organisations: OrganisationsTable;
  clubs: ClubsTable;
  teams: TeamsTable;
  hubs: HubsTable;
  hub_enrolment_codes: HubEnrolmentCodesTable;
  athletes: AthletesTable;
  sessions: SessionsTable;
  drills: DrillsTable;
  session_rpe: SessionRpeTable;
  raw_samples: RawSamplesTable;
  uplink_streams: UplinkStreamsTable;
  uplink_ranges: UplinkRangesTable;
  erased_athletes: ErasedAthletesTable;
  session_athlete_loads: SessionAthleteLoadsTable;
  athlete_daily_loads: AthleteDailyLoadsTable;
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  user_identities: UserIdentitiesTable;
  audit_log: AuditLogTable;
  workouts: WorkoutsTable;
  drill_athlete_loads: DrillAthleteLoadsTable;
  session_aggregate_marks: SessionAggregateMarksTable;
  analytics_pending_sessions: AnalyticsPendingSessionsTable;
  analytics_pending_days: AnalyticsPendingDaysTable;
}
