/** Shared set-up of the analytics tests: an enrolled hub, athletes as a hub declares them, users with grants. */
import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import type { UplinkAthlete, UplinkBatch, UplinkSession } from '../src/schemas/uplink.schema.ts';
import { clubWithHub, postBatch, type TestCentral } from './test-central.ts';

export interface EnrolledHub {
  hubId: string;
  clubId: string;
  organisationId: string;
  credential: string;
}

export async function enrolledHub(t: TestCentral, clubName: string, organisation?: string): Promise<EnrolledHub> {
  const { hubId, clubId, organisationId, code } = await clubWithHub(t, clubName, organisation);
  const enrolled = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code, name: `${clubName} ground` }, null);
  if (enrolled.status !== 200) throw new Error(JSON.stringify(enrolled.body));
  return { hubId, clubId, organisationId, credential: enrolled.body.credential };
}

/** An athlete as a hub declares it: HRmax 190, HRrest 50, male, 75 kg unless overridden. */
export function hubAthlete(id: string, overrides: Partial<UplinkAthlete> = {}): UplinkAthlete {
  return {
    id,
    name: `Player ${id}`,
    number: null,
    position: null,
    group: null,
    hrMax: 190,
    hrRest: 50,
    sex: 'male',
    massKg: 75,
    birthYear: null,
    zones: null,
    thresholds: null,
    archived: false,
    ...overrides,
  };
}

export function hubSession(id: string, startedAt: number, endedAt: number | null, overrides: Partial<UplinkSession> = {}): UplinkSession {
  return { id, name: `Session ${id}`, kind: 'training', startedAt, endedAt, notes: '', drills: [], rpe: [], ...overrides };
}

export async function send(t: TestCentral, hub: EnrolledHub, batch: Omit<UplinkBatch, 'hubId' | 'clubId'>): Promise<void> {
  const result = await postBatch(t.url, hub.credential, { hubId: hub.hubId, clubId: hub.clubId, ...batch });
  if (result.status !== 200) throw new Error(`batch refused: ${JSON.stringify(result.body)}`);
}

/** Central's id of a hub's athlete or session. */
export async function centralId(db: pg.Client, table: 'athletes' | 'sessions', hubId: string, localId: string): Promise<string> {
  const { rows } = await db.query(`select id from ${table} where hub_id = $1 and local_id = $2`, [hubId, localId]);
  if (!rows[0]) throw new Error(`no ${table} ${localId}`);
  return rows[0].id as string;
}

/**
 * A portal user with one grant, written straight to the tables (as the user admin API would), and
 * signed in; returns the token.
 */
export async function userWithGrant(
  t: TestCentral,
  db: pg.Client,
  email: string,
  grant: { role: 'admin' | 'analyst' | 'coach' | 'athlete'; organisationId?: string; clubId?: string; teamId?: string; athleteId?: string },
): Promise<string> {
  const password = 'correct horse battery staple';
  const { rows } = await db.query('insert into users (email, name, password_hash) values ($1, $1, $2) returning id', [email, await hash(password)]);
  await db.query('insert into user_roles (user_id, role, organisation_id, club_id, team_id, athlete_id) values ($1, $2, $3, $4, $5, $6)', [
    rows[0].id,
    grant.role,
    grant.organisationId ?? null,
    grant.clubId ?? null,
    grant.teamId ?? null,
    grant.athleteId ?? null,
  ]);
  const login = await t.api<{ token: string }>('POST', '/api/auth/login', { email, password }, null);
  if (login.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(login.body)}`);
  return login.body.token;
}
