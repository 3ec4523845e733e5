/**
 * Shapes the hub's API answers with. The live athlete comes from the engine itself through a
 * type-only import (erased from the bundle); the rest mirror hub/src/schemas/*.ts by hand.
 */

export type Role = 'display' | 'staff' | 'admin';
// Type-only: erased from the bundle, so no hub code reaches the browser, and the live shape has one owner.
import type { LiveAthlete, SignalState } from '../../../hub/src/engine/engine.ts';

export type { LiveAthlete, SignalState };
export interface Me {
  role: Role;
  name: string;
  setupRequired: boolean;
}

export interface Drill {
  id: string;
  name: string;
  startedAt: number;
  endedAt: number | null;
}

export interface Marker {
  id: string;
  t: number;
  label: string;
}

export interface SessionRpe {
  athleteId: string;
  rpe: number;
  durationMin: number;
  load: number;
  enteredAt: number;
}

export interface Session {
  id: string;
  name: string;
  kind: 'training' | 'match';
  startedAt: number;
  endedAt: number | null;
  notes: string;
  drills: Drill[];
  currentDrill: Drill | null;
  markers: Marker[];
  rpe: SessionRpe[];
}

export type RuleKind = 'hr-above' | 'sensor-lost' | 'battery-low' | 'speed-above' | 'load-reached' | 'store-full';

export interface Alert {
  id: string;
  ruleId: string | null;
  kind: RuleKind;
  athleteId: string | null;
  sensorId: string | null;
  sessionId: string | null;
  message: string;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

export interface AlertRule {
  id: string;
  kind: RuleKind;
  params: Record<string, number | string>;
  enabled: boolean;
  createdAt: number;
  summary: string;
}

export interface Athlete {
  id: string;
  name: string;
  number: number | null;
  position: string | null;
  group: string | null;
  hrMax: number;
  hrRest: number;
  sex: 'male' | 'female';
  massKg: number;
  birthYear: number | null;
  zones: number[] | null;
  thresholds: { hsr: number; sprint: number } | null;
}

export type AthleteInput = Omit<Athlete, 'id'>;

export interface Sensor {
  id: string;
  label: string | null;
  streams: string[];
  firstSeen: number;
  lastSeen: number;
  batteryPct: number | null;
  athleteId: string | null;
}

export interface HubSettings {
  clubName: string;
  teamName: string;
  zones: number[];
  thresholds: { hsr: number; sprint: number };
}

export interface User {
  id: string;
  name: string;
  role: string;
  createdAt: number;
  disabled: boolean;
}

export interface DisplayToken {
  id: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface NewDisplayToken {
  id: string;
  token: string;
  url: string;
  qrSvg: string;
}

export interface DeviceCredential {
  id: string;
  username: string;
  label: string | null;
  sensorIds: string[];
  createdAt: number;
  revokedAt: number | null;
}

export interface Reading {
  sensorId: string;
  t: number;
  bpm?: number;
  rr?: number[];
  speed?: number;
  lat?: number;
  lon?: number;
}

/** Frames of the live WebSocket (hub/src/live/live-feed.ts). */
export type LiveFrame =
  | { type: 'snapshot'; sentAt: number; athletes: LiveAthlete[]; session: Session | null; alerts?: Alert[] }
  | { type: 'athletes'; sentAt: number; athletes: LiveAthlete[] }
  | { type: 'session'; sentAt: number; session: Session | null }
  | { type: 'alert'; sentAt: number; alert: Alert }
  | { type: 'settings'; sentAt: number; settings: HubSettings };

export interface HrMetrics {
  samples: number;
  durationS: number;
  meanBpm: number | null;
  maxBpm: number | null;
  secondsInZone: number[];
  banisterTrimp: number;
  edwardsTrimp: number;
  energyKcal: number | null;
}

export interface HrvMetrics {
  beats: number;
  correctedBeats: number;
  meanRrMs: number;
  sdnnMs: number;
  rmssdMs: number;
  lnRmssd: number | null;
  pnn50Pct: number;
  sd1Ms: number;
  sd2Ms: number;
}

export interface GnssMetrics {
  fixes: number;
  durationS: number;
  distanceM: number;
  maxSpeed: number;
  highSpeedRunningM: number;
  highSpeedRunningEfforts: number;
  sprintM: number;
  sprintEfforts: number;
  accelerations: number;
  decelerations: number;
  averageMetabolicPower: number | null;
  metabolicWorkJPerKg: number;
  equivalentDistanceM: number;
}

export interface WindowMetrics {
  hr: HrMetrics | null;
  hrv: HrvMetrics | null;
  gnss: GnssMetrics | null;
  playerLoad: { playerLoad: number; durationS: number; perMinute: number | null } | null;
}

export interface DrillSplit {
  drillId: string;
  name: string;
  from: number;
  to: number;
}

export interface AthleteReport {
  athleteId: string;
  name: string;
  number: number | null;
  hrZoneLowerBoundsBpm: number[];
  session: WindowMetrics;
  drills: (DrillSplit & { metrics: WindowMetrics })[];
  rpe: { rpe: number; durationMin: number; load: number } | null;
}

export interface TeamWindow {
  athletes: number;
  mean: WindowMetrics;
}

export interface SessionReport {
  session: Session;
  from: number;
  to: number;
  generatedAt: number;
  athletes: AthleteReport[];
  team: {
    session: TeamWindow;
    drills: (DrillSplit & { team: TeamWindow })[];
    rpe: { athletes: number; mean: { rpe: number; durationMin: number; load: number }; total: { durationMin: number; load: number } } | null;
  };
}

export interface Health {
  status: 'ok' | 'warning';
  warnings: string[];
  checkedAt: number;
  hub: { name: string; version: string; node: string; startedAt: number };
  box: {
    sampledAt: number | null;
    hostname: string;
    cpu: { cores: number; loadPercent: number | null; loadAverage: number[]; temperatureC: number | null };
    memory: { totalBytes: number; availableBytes: number | null };
    disk: { path: string; totalBytes: number | null; freeBytes: number | null };
  };
  process: {
    pid: number;
    uptimeS: number;
    rssBytes: number;
    heapUsedBytes: number;
    heapTotalBytes: number;
    eventLoop: { delayMeanMs: number | null; delayP99Ms: number | null; delayMaxMs: number | null; utilization: number | null };
  };
  broker: { clients: number };
  ingest: {
    accepted: number;
    readings: number;
    messagesPerSecond: { last10s: number; last1m: number };
    readingsPerSecond: { last10s: number; last1m: number };
    rejects: { total: number; byCode: Record<string, number> };
  };
  store: { fileBytes: number; maxBytes: number; pendingRows: number; inboxRows: number; blocksWritten: number; full: boolean; unrecorded: number; lastCompactionMs: number | null; maintenanceFailures: number; lastMaintenanceError: string | null; commitFailures: number; lastCommitError: string | null; answeringUnwritten: boolean; discardedWhileFailing: number; undecodableRows: number };
  live: { screens: number; framesSent: number; framesSkipped: number };
  athletes: { total: number; bySignal: Record<SignalState, number> };
  sensors: { id: string; label: string | null; lastSeen: number; batteryPct: number | null; athleteId: string | null; athleteName: string | null; signal: SignalState | null }[];
}

/** GET /api/bridges (hub/src/schemas/bridge.schema.ts): what each firmware bridge last reported. */
export interface BridgeDevice {
  sensorId: string;
  state: 'discovered' | 'connecting' | 'streaming' | 'silent' | 'reconnecting' | 'failed';
  name?: string;
  via?: string;
  rssi?: number;
  batteryPct?: number;
  lastSeenAt?: number;
  readings: number;
  rejected: number;
  problem?: string;
}
export interface BridgeAdapter {
  id: string;
  transport: string;
  state: 'stopped' | 'starting' | 'running' | 'unavailable';
  detail?: string;
  capabilities: string[];
  version: string;
  devices: BridgeDevice[];
  omittedDevices: number;
  readings: { accepted: number; rejected: Record<string, number>; droppedRr: number };
  outbox: {
    connected: boolean;
    lastError?: string;
    published: number;
    acknowledged: number;
    inflight: number;
    queued: number;
    spool: { policy: 'drop-oldest' | 'drop-newest'; maxBytes: number; bytes: number; records: number; spooled: number; replayed: number; droppedWhenFull: number; corruptRecords: number };
  };
}
export interface BridgeEntry {
  bridgeId: string;
  receivedAt: number;
  online: boolean;
  status: { bridgeId: string; version: string; t: number; state: 'running' | 'stopped' | 'offline'; startedAt: number; hub: { url: string }; adapters: BridgeAdapter[] };
}
export interface BridgeList {
  bridges: BridgeEntry[];
  rejected: number;
}
