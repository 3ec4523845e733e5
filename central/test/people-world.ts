/**
 * A small world for the people tests, built through the public API as head office and the hubs
 * would: two organisations, clubs Rovers (teams A and B) and United (team X), one athlete per
 * team uploaded by the clubs' hubs with readings, sessions and RPE, and one user per role.
 */
import { randomBytes } from 'node:crypto';
import type { UplinkAthlete, UplinkBatch } from '../src/schemas/uplink.schema.ts';
import { postBatch, type TestCentral } from './test-central.ts';

export const ROLES = ['admin', 'analyst', 'orgAnalyst', 'coachA', 'clubCoach', 'athlete'] as const;
export type RoleName = (typeof ROLES)[number];

const DAY = 86_400_000;

export function athleteOf(id: string, name: string, number: number): UplinkAthlete {
  return { id, name, number, position: 'midfield', group: null, hrMax: 195, hrRest: 50, sex: 'female', massKg: 62, birthYear: 2001, zones: null, thresholds: null, archived: false };
}

export interface World {
  orgs: { league: string; other: string };
  clubs: { rovers: string; united: string };
  teams: { a: string; b: string; x: string };
  hubs: { rovers: string; united: string };
  /** The hubs' uplink credentials, to send them further batches. */
  credentials: { rovers: string; united: string };
  athletes: { a1: string; a2: string; b1: string };
  sessions: { rovers: string; roversOld: string; united: string };
  users: Record<RoleName, { id: string; email: string; token: string }>;
  /** Readings stored per athlete (and for the unpaired pod). */
  readings: { a1: number; a2: number; b1: number; unpaired: number };
  t0: number;
}

async function ok<T>(t: TestCentral, method: string, path: string, body?: unknown): Promise<T> {
  const res = await t.api<T>(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function enrolHub(t: TestCentral, clubId: string, name: string) {
  const created = await ok<{ hub: { id: string }; enrolment: { code: string } }>(t, 'POST', '/api/hubs', { clubId, name });
  const enrolled = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code: created.enrolment.code, name }, null);
  return { hubId: created.hub.id, credential: enrolled.body.credential };
}

const hr = (t0: number, n: number, bpm: number) => Array.from({ length: n }, (_, i) => ({ t: t0 + i * 1000, bpm: bpm + (i % 5), rr: [] }));

export async function buildWorld(t: TestCentral): Promise<World> {
  const league = await ok<{ id: string }>(t, 'POST', '/api/organisations', { name: 'League' });
  const other = await ok<{ id: string }>(t, 'POST', '/api/organisations', { name: 'Other League' });
  const rovers = await ok<{ id: string }>(t, 'POST', '/api/clubs', { organisationId: league.id, name: 'Rovers' });
  const united = await ok<{ id: string }>(t, 'POST', '/api/clubs', { organisationId: other.id, name: 'United' });
  const teamA = await ok<{ id: string }>(t, 'POST', '/api/teams', { clubId: rovers.id, name: 'A' });
  const teamB = await ok<{ id: string }>(t, 'POST', '/api/teams', { clubId: rovers.id, name: 'B' });
  const teamX = await ok<{ id: string }>(t, 'POST', '/api/teams', { clubId: united.id, name: 'X' });
  const hubR = await enrolHub(t, rovers.id, 'Rovers ground');
  const hubU = await enrolHub(t, united.id, 'United ground');

  // Two days ago, on a whole minute: inside "the last 7 days"; the old session is 20 days back.
  const t0 = Math.floor((Date.now() - 2 * DAY) / 60_000) * 60_000;
  const old = t0 - 18 * DAY;
  const session = (id: string, startedAt: number, rpe: { athleteId: string; rpe: number }[]) => ({
    id,
    name: `Session ${id}`,
    kind: 'training',
    startedAt,
    endedAt: startedAt + 3600_000,
    notes: '',
    drills: [{ id: 'd1', name: 'Rondo', startedAt: startedAt + 60_000, endedAt: startedAt + 600_000 }],
    rpe: rpe.map((r) => ({ ...r, durationMin: 60, enteredAt: startedAt + 3700_000 })),
  });
  const readings = { a1: 30, a2: 20, b1: 10, unpaired: 5 };
  const roversBatch: UplinkBatch = {
    hubId: hubR.hubId,
    clubId: rovers.id,
    athletes: [athleteOf('a1', 'Ada', 7), athleteOf('a2', 'Bea', 8)],
    sessions: [session('s1', t0, [{ athleteId: 'a1', rpe: 6 }, { athleteId: 'a2', rpe: 7 }]), session('s0', old, [{ athleteId: 'a1', rpe: 4 }])],
    samples: {
      stream: 'samples:1',
      fromSeq: 1,
      toSeq: readings.a1 + readings.a2 + readings.unpaired,
      groups: [
        { firstSeq: 1, sensorId: 'strap-1', athleteId: 'a1', kind: 'hr', readings: hr(t0 + 120_000, readings.a1, 150) },
        { firstSeq: 1 + readings.a1, sensorId: 'strap-2', athleteId: 'a2', kind: 'hr', readings: hr(t0 + 120_000, readings.a2, 140) },
        {
          firstSeq: 1 + readings.a1 + readings.a2,
          sensorId: 'pod-9',
          athleteId: null,
          kind: 'gnss',
          readings: Array.from({ length: readings.unpaired }, (_, i) => ({ t: t0 + 120_000 + i * 1000, lat: 51.5, lon: -0.12 + i * 1e-5 })),
        },
      ],
    },
  };
  const unitedBatch: UplinkBatch = {
    hubId: hubU.hubId,
    clubId: united.id,
    athletes: [athleteOf('b1', 'Cleo', 9)],
    sessions: [session('s1', t0, [{ athleteId: 'b1', rpe: 5 }])],
    samples: { stream: 'samples:1', fromSeq: 1, toSeq: readings.b1, groups: [{ firstSeq: 1, sensorId: 'strap-1', athleteId: 'b1', kind: 'hr', readings: hr(t0 + 120_000, readings.b1, 130) }] },
  };
  for (const [credential, batch] of [[hubR.credential, roversBatch], [hubU.credential, unitedBatch]] as const) {
    const res = await postBatch(t.url, credential, batch);
    if (res.status !== 200) throw new Error(`batch refused: ${JSON.stringify(res.body)}`);
  }
  await t.central.aggregates.settle();

  const athletes = await ok<{ id: string; localId: string; hubId: string }[]>(t, 'GET', '/api/athletes');
  const idOf = (hubId: string, localId: string) => athletes.find((a) => a.hubId === hubId && a.localId === localId)!.id;
  const ids = { a1: idOf(hubR.hubId, 'a1'), a2: idOf(hubR.hubId, 'a2'), b1: idOf(hubU.hubId, 'b1') };
  await ok(t, 'PUT', `/api/athletes/${ids.a1}/team`, { teamId: teamA.id });
  await ok(t, 'PUT', `/api/athletes/${ids.a2}/team`, { teamId: teamB.id });
  await ok(t, 'PUT', `/api/athletes/${ids.b1}/team`, { teamId: teamX.id });

  const sessions = await ok<{ id: string; hubId: string; localId: string }[]>(t, 'GET', '/api/sessions');
  const sessionOf = (hubId: string, localId: string) => sessions.find((s) => s.hubId === hubId && s.localId === localId)!.id;

  const admin = await ok<{ id: string }>(t, 'GET', '/api/me');
  const users = { admin: { id: admin.id, email: 'admin@example.org', token: t.adminToken } } as World['users'];
  const grants: Record<Exclude<RoleName, 'admin'>, object> = {
    analyst: { role: 'analyst' },
    orgAnalyst: { role: 'analyst', organisationId: league.id },
    coachA: { role: 'coach', teamId: teamA.id },
    clubCoach: { role: 'coach', clubId: rovers.id },
    athlete: { role: 'athlete', athleteId: ids.a1 },
  };
  for (const [role, grant] of Object.entries(grants) as [Exclude<RoleName, 'admin'>, object][]) {
    const email = `${role.toLowerCase()}-${randomBytes(3).toString('hex')}@example.org`;
    const password = `pw-${randomBytes(9).toString('hex')}`;
    const user = await ok<{ id: string }>(t, 'POST', '/api/users', { email, name: role, password, grants: [grant] });
    const login = await t.api<{ token: string }>('POST', '/api/auth/login', { email, password }, null);
    users[role] = { id: user.id, email, token: login.body.token };
  }

  return {
    orgs: { league: league.id, other: other.id },
    clubs: { rovers: rovers.id, united: united.id },
    teams: { a: teamA.id, b: teamB.id, x: teamX.id },
    hubs: { rovers: hubR.hubId, united: hubU.hubId },
    credentials: { rovers: hubR.credential, united: hubU.credential },
    athletes: ids,
    sessions: { rovers: sessionOf(hubR.hubId, 's1'), roversOld: sessionOf(hubR.hubId, 's0'), united: sessionOf(hubU.hubId, 's1') },
    users,
    readings,
    t0,
  };
}
