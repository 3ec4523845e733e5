/** Row types of the hub's SQLite tables, as Kysely sees them. Times are Unix ms. */
import type { Generated } from 'kysely';

export interface AthletesTable {
  id: string;
  name: string;
  number: number | null;
  position: string | null;
  group_name: string | null;
  hr_max: number;
  hr_rest: number;
  sex: string;
  mass_kg: number;
  birth_year: number | null;
  zones: string;
  thresholds: string;
  created_at: number;
  archived_at: number | null;
}

export interface SensorsTable {
  id: string;
  label: string | null;
  streams: string;
  first_seen: number;
  last_seen: number;
  battery_pct: number | null;
}

export interface PairingsTable {
  id: Generated<number>;
  sensor_id: string;
  athlete_id: string;
  paired_at: number;
  unpaired_at: number | null;
}

export interface DeviceCredentialsTable {
  id: string;
  username: string;
  secret_hash: string;
  sensor_ids: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface SessionsTable {
  id: string;
  name: string;
  kind: string;
  started_at: number;
  ended_at: number | null;
  notes: string;
}

export interface DrillsTable {
  id: string;
  session_id: string;
  name: string;
  started_at: number;
  ended_at: number | null;
}

export interface MarkersTable {
  id: string;
  session_id: string;
  t: number;
  label: string;
}

export interface SessionRpeTable {
  session_id: string;
  athlete_id: string;
  rpe: number;
  duration_min: number;
  entered_at: number;
}

export interface AlertRulesTable {
  id: string;
  kind: string;
  params: string;
  enabled: number;
  created_at: number;
}

export interface AlertsTable {
  id: string;
  rule_id: string | null;
  kind: string;
  session_id: string | null;
  athlete_id: string | null;
  sensor_id: string | null;
  message: string;
  raised_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

export interface UsersTable {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: number;
  disabled_at: number | null;
}

export interface AuthTokensTable {
  token_hash: string;
  kind: string;
  user_id: string | null;
  role: string;
  label: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  t: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface SampleInboxTable {
  seq: number;
  sensor_id: string;
  athlete_id: string | null;
  stream: string;
  t: number;
  body: string;
}

export interface SampleBlocksTable {
  id: Generated<number>;
  sensor_id: string;
  athlete_id: string | null;
  stream: string;
  t_start: number;
  t_end: number;
  n: number;
  seq_first: number;
  seq_last: number;
  codec: number;
  data: Uint8Array;
}

export interface UplinkCursorTable {
  hub_id: string;
  stream: string;
  block_id: number;
  acked_seq: number;
  acked_at: number | null;
}

export interface UplinkSentTable {
  hub_id: string;
  kind: string;
  local_id: string;
  hash: string;
}

export interface HubDatabase {
  athletes: AthletesTable;
  sensors: SensorsTable;
  pairings: PairingsTable;
  device_credentials: DeviceCredentialsTable;
  sessions: SessionsTable;
  drills: DrillsTable;
  markers: MarkersTable;
  session_rpe: SessionRpeTable;
  alert_rules: AlertRulesTable;
  alerts: AlertsTable;
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  sample_inbox: SampleInboxTable;
  sample_blocks: SampleBlocksTable;
  uplink_cursor: UplinkCursorTable;
  uplink_sent: UplinkSentTable;
}
