/**
 * Central's first PostgreSQL schema. Migrations are numbered and append-only: never edit one that
 * has shipped; add the next number. (The hub's SQLite migrations live apart, in hub/src/store.)
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  // Who owns what: organisation → clubs → teams → athletes. Hubs belong to a club.
  `create table organisations (
    id uuid primary key default gen_random_uuid(),
    name text not null unique,
    created_at timestamptz not null default now()
  )`,
  `create table clubs (
    id uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisations(id),
    name text not null,
    created_at timestamptz not null default now(),
    unique (organisation_id, name)
  )`,
  `create table teams (
    id uuid primary key default gen_random_uuid(),
    club_id uuid not null references clubs(id),
    name text not null,
    created_at timestamptz not null default now(),
    unique (club_id, name)
  )`,
  `create table hubs (
    id uuid primary key default gen_random_uuid(),
    club_id uuid not null references clubs(id),
    name text not null,
    credential_hash text,
    enrolled_at timestamptz,
    last_seen_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz not null default now()
  )`,
  // One-time codes an admin hands to club IT; only a hash is kept, like a password.
  `create table hub_enrolment_codes (
    code_hash text primary key,
    hub_id uuid not null references hubs(id),
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
  )`,
  // An athlete comes from a hub (hub_id, local_id: the id the hub gave them) or from head office.
  `create table athletes (
    id uuid primary key default gen_random_uuid(),
    club_id uuid not null references clubs(id),
    team_id uuid references teams(id),
    hub_id uuid references hubs(id),
    local_id text,
    name text not null,
    number integer,
    position text,
    group_name text,
    hr_max integer,
    hr_rest integer,
    sex text,
    mass_kg real,
    birth_year integer,
    zones jsonb,
    thresholds jsonb,
    archived boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (hub_id, local_id)
  )`,
  `create index athletes_club on athletes (club_id)`,
  `create table sessions (
    id uuid primary key default gen_random_uuid(),
    club_id uuid not null references clubs(id),
    hub_id uuid not null references hubs(id),
    local_id text not null,
    name text not null,
    kind text not null,
    started_at timestamptz not null,
    ended_at timestamptz,
    notes text not null default '',
    updated_at timestamptz not null default now(),
    unique (hub_id, local_id)
  )`,
  `create index sessions_club_start on sessions (club_id, started_at)`,
  `create table drills (
    id uuid primary key default gen_random_uuid(),
    session_id uuid not null references sessions(id) on delete cascade,
    local_id text not null,
    name text not null,
    started_at timestamptz not null,
    ended_at timestamptz,
    unique (session_id, local_id)
  )`,
  `create table session_rpe (
    session_id uuid not null references sessions(id) on delete cascade,
    athlete_id uuid not null references athletes(id),
    rpe real not null,
    duration_min real not null,
    entered_at timestamptz not null,
    primary key (session_id, athlete_id)
  )`,
  // Raw readings, the bulk of the data: one partition per month, created on demand (see
  // sample.repository.ts). A partitioned table's unique key must hold the partition column, so the
  // key is (hub, stream, seq, t); a reading's t never changes, so a re-delivered row still collides.
  // The uplink ledger below is the first guard; this key is the backstop.
  `create table raw_samples (
    hub_id uuid not null,
    stream text not null,
    seq bigint not null,
    t timestamptz not null,
    sensor_id text not null,
    athlete_id uuid,
    kind text not null,
    body jsonb not null
  ) partition by range (t)`,
  `create unique index raw_samples_identity on raw_samples (hub_id, stream, seq, t)`,
  `create index raw_samples_athlete on raw_samples (athlete_id, t)`,
  `create index raw_samples_hub on raw_samples (hub_id, t)`,
  // Per hub and stream: everything up to acked_seq is stored; uplink_ranges holds what arrived
  // beyond a gap, until the gap is filled and the ack jumps over it.
  `create table uplink_streams (
    hub_id uuid not null references hubs(id),
    stream text not null,
    acked_seq bigint not null default 0,
    rows_stored bigint not null default 0,
    last_batch_at timestamptz,
    primary key (hub_id, stream)
  )`,
  `create table uplink_ranges (
    hub_id uuid not null,
    stream text not null,
    seq_from bigint not null,
    seq_to bigint not null,
    primary key (hub_id, stream, seq_from),
    foreign key (hub_id, stream) references uplink_streams (hub_id, stream),
    check (seq_from <= seq_to)
  )`,
  // Aggregates the portal reads (filled by jobs from raw_samples and session RPE).
  `create table session_athlete_loads (
    session_id uuid not null references sessions(id) on delete cascade,
    athlete_id uuid not null references athletes(id),
    duration_s real,
    hr_mean real,
    hr_max real,
    trimp real,
    srpe real,
    distance_m real,
    hsr_m real,
    sprint_m real,
    player_load real,
    computed_at timestamptz not null default now(),
    primary key (session_id, athlete_id)
  )`,
  `create table athlete_daily_loads (
    athlete_id uuid not null references athletes(id),
    day date not null,
    trimp real,
    srpe real,
    distance_m real,
    hsr_m real,
    player_load real,
    computed_at timestamptz not null default now(),
    primary key (athlete_id, day)
  )`,
  // Portal users. password_hash is argon2id, or null for users who sign in through OIDC.
  `create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    name text not null,
    password_hash text,
    created_at timestamptz not null default now(),
    disabled_at timestamptz
  )`,
  `create unique index users_email on users (lower(email))`,
  `create table roles (
    name text primary key,
    description text not null
  )`,
  `insert into roles (name, description) values
    ('admin', 'Head office administrator: clubs, hubs, users and everything else'),
    ('analyst', 'Head office analyst: reads every club''s data'),
    ('coach', 'Reads the teams of their scope'),
    ('athlete', 'Reads their own data')`,
  // A grant of a role, optionally scoped to one organisation, club, team or athlete.
  `create table user_roles (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    role text not null references roles(name),
    organisation_id uuid references organisations(id),
    club_id uuid references clubs(id),
    team_id uuid references teams(id),
    athlete_id uuid references athletes(id),
    created_at timestamptz not null default now()
  )`,
  `create index user_roles_user on user_roles (user_id)`,
  `create table audit_log (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor text not null,
    action text not null,
    target text,
    detail jsonb not null default '{}'
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
