/**
 * Shapes of central's portal API (times in epoch ms, days as 'YYYY-MM-DD' in UTC), written from
 * the API's published contract; central's schemas are the authority and /docs shows them.
 */

export type PortalRole = 'admin' | 'analyst' | 'coach' | 'athlete';

export interface Grant {
  id: string;
  role: PortalRole;
  organisationId: string | null;
  clubId: string | null;
  teamId: string | null;
  athleteId: string | null;
}

export interface PortalMe {
  id: string;
  email: string;
  name: string;
  grants: Grant[];
}

export interface LoginResult {
  token: string;
  expiresAt: number;
  user: { id: string; email: string; name: string; roles: PortalRole[] };
}

export interface OverviewHub {
  id: string;
  name: string;
  enrolledAt: number | null;
  lastSeenAt: number | null;
  revokedAt: number | null;
}

export interface OverviewClub {
  id: string;
  name: string;
  athletes: number;
  sessionsLast7Days: number;
  teams: { id: string; name: string; athletes: number }[];
  hubs: OverviewHub[];
}

export interface Overview {
  organisations: { id: string; name: string; clubs: OverviewClub[] }[];
}

export const MEASURES = ['srpe', 'trimp', 'distance', 'hsr', 'playerLoad'] as const;
export type Measure = (typeof MEASURES)[number];

export const MEASURE_LABELS: Record<Measure, string> = {
  srpe: 'Session RPE load (AU)',
  trimp: 'TRIMP',
  distance: 'Distance (m)',
  hsr: 'High-speed running (m)',
  playerLoad: 'PlayerLoad (AU)',
};

export interface LoadDay {
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

export interface AthleteLoad {
  athleteId: string;
  measure: Measure;
  days: LoadDay[];
}

export interface TeamLoad {
  teamId: string;
  measure: Measure;
  athletes: { athleteId: string; name: string; number: number | null; position: string | null; days: LoadDay[] }[];
  mean: LoadDay[];
}

export interface HrvDay {
  day: string;
  rmssdMs: number;
  beats: number;
}

export interface AthleteSession {
  sessionId: string;
  name: string;
  kind: string;
  startedAt: number;
  endedAt: number | null;
  durationS: number | null;
  hrMean: number | null;
  hrMax: number | null;
  trimp: number | null;
  srpe: number | null;
  distanceM: number | null;
  hsrM: number | null;
  sprintM: number | null;
  playerLoad: number | null;
}

export interface SessionMetrics {
  durationS: number | null;
  hrMean: number | null;
  hrMax: number | null;
  trimp: number | null;
  srpe: number | null;
  distanceM: number | null;
  hsrM: number | null;
  sprintM: number | null;
  playerLoad: number | null;
}

export interface SessionReport {
  session: { id: string; name: string; kind: string; clubId: string; startedAt: number; endedAt: number | null };
  athletes: (SessionMetrics & { athleteId: string; name: string })[];
  team: SessionMetrics;
  drills: {
    id: string;
    name: string;
    startedAt: number;
    endedAt: number | null;
    athletes: { athleteId: string; name: string; durationS: number | null; hrMean: number | null; trimp: number | null; distanceM: number | null; hsrM: number | null; playerLoad: number | null }[];
  }[];
}

export interface Comparison {
  measure: Measure;
  series: { label: string; kind: 'athlete' | 'team' | 'position'; id: string; days: { day: string; load: number }[] }[];
}

export interface Workout {
  id: string;
  filename: string;
  format: string;
  sport: string | null;
  startedAt: number | null;
  durationS: number | null;
  distanceM: number | null;
  hrMean: number | null;
  hrMax: number | null;
  trimp: number | null;
  uploadedAt: number;
}

export interface Athlete {
  id: string;
  clubId: string;
  teamId: string | null;
  name: string;
  number: number | null;
  position: string | null;
}

export interface PortalSessionSummary {
  id: string;
  clubId: string;
  hubId: string;
  name: string;
  kind: string;
  startedAt: number;
  endedAt: number | null;
}

export interface Hub {
  id: string;
  clubId: string;
  name: string;
  enrolledAt: number | null;
  lastSeenAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

export interface Enrolment {
  code: string;
  expiresAt: number;
}

export interface PortalUser {
  id: string;
  email: string;
  name: string;
  hasPassword: boolean;
  createdAt: number;
  disabledAt: number | null;
  grants: Grant[];
}

export interface GrantInput {
  role: PortalRole;
  organisationId?: string;
  clubId?: string;
  teamId?: string;
  athleteId?: string;
}
