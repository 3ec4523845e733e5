/** User administration against real PostgreSQL: grant shapes, immediate effect, the last admin, audit. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from './people-world.ts';
import { startTestCentral, type TestCentral } from './test-central.ts';

interface Coded {
  code: string;
  message: string;
  detail?: { field?: string };
}
interface UserView {
  id: string;
  email: string;
  hasPassword: boolean;
  disabledAt: number | null;
  grants: { id: string; role: string; organisationId: string | null; clubId: string | null; teamId: string | null; athleteId: string | null }[];
}

const NOBODY = '00000000-0000-4000-8000-000000000000';

describe('user administration', () => {
  let t: TestCentral;
  let w: World;
  let db: pg.Client;

  beforeAll(async () => {
    t = await startTestCentral();
    w = await buildWorld(t);
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const userCount = async () => Number((await db.query('select count(*) as n from users')).rows[0].n);

  it('refuses grants that do not fit their role or name nothing real, and stores nothing', async () => {
    const before = await userCount();
    const cases: [object, string][] = [
      [{ role: 'coach' }, 'grants[0].teamId'],
      [{ role: 'coach', teamId: w.teams.a, clubId: w.clubs.rovers }, 'grants[0].teamId'],
      [{ role: 'coach', athleteId: w.athletes.a1 }, 'grants[0].athleteId'],
      [{ role: 'athlete' }, 'grants[0].athleteId'],
      [{ role: 'athlete', athleteId: NOBODY }, 'grants[0].athleteId'],
      [{ role: 'admin', organisationId: w.orgs.league }, 'grants[0].organisationId'],
      [{ role: 'analyst', organisationId: NOBODY }, 'grants[0].organisationId'],
      [{ role: 'coach', teamId: NOBODY }, 'grants[0].teamId'],
    ];
    for (const [grant, field] of cases) {
      const res = await t.api<Coded>('POST', '/api/users', { email: 'bad@example.org', name: 'Bad', grants: [grant] });
      expect(res.status, JSON.stringify(grant)).toBe(400);
      expect(res.body.code).toBe('TL_ERR_GRANT_INVALID');
      expect(res.body.detail?.field).toBe(field);
    }
    const unknownRole = await t.api<Coded>('POST', '/api/users', { email: 'bad@example.org', name: 'Bad', grants: [{ role: 'owner' }] });
    expect(unknownRole.body.code).toBe('TL_ERR_VALIDATION');
    expect(await userCount()).toBe(before);
  });

  it('creates a single-sign-on user without a password, and a password user with an argon2id hash', async () => {
    const sso = await t.api<UserView>('POST', '/api/users', { email: 'Sso.Coach@Example.org', name: 'SSO coach', grants: [{ role: 'coach', teamId: w.teams.b }] });
    expect(sso.status).toBe(200);
    expect(sso.body.hasPassword).toBe(false);
    expect(sso.body.grants).toEqual([{ id: expect.any(String), role: 'coach', organisationId: null, clubId: null, teamId: w.teams.b, athleteId: null }]);
    const noPassword = await t.api<Coded>('POST', '/api/auth/login', { email: 'sso.coach@example.org', password: 'anything-at-all' }, null);
    expect(noPassword.body.code).toBe('TL_ERR_AUTH_FAILED');

    const same = await t.api<Coded>('POST', '/api/users', { email: 'sso.coach@example.org', name: 'Again', grants: [] });
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('TL_ERR_CONFLICT');

    const pw = await t.api<UserView>('POST', '/api/users', { email: 'pw@example.org', name: 'Pw', password: 'correct horse battery', grants: [] });
    const stored = (await db.query('select password_hash from users where id = $1', [pw.body.id])).rows[0].password_hash as string;
    expect(stored.startsWith('$argon2id$')).toBe(true);
    const login = await t.api<{ user: { roles: string[] } }>('POST', '/api/auth/login', { email: 'pw@example.org', password: 'correct horse battery' }, null);
    expect(login.status).toBe(200);
    expect(login.body.user.roles).toEqual([]);
  });

  it('applies added and removed grants at once, to tokens already issued', async () => {
    const password = 'a-long-enough-password';
    const user = (await t.api<UserView>('POST', '/api/users', { email: 'grow@example.org', name: 'Grow', password, grants: [{ role: 'coach', teamId: w.teams.a }] })).body;
    const token = (await t.api<{ token: string }>('POST', '/api/auth/login', { email: 'grow@example.org', password }, null)).body.token;
    const seen = async () => (await t.api<{ id: string }[]>('GET', '/api/athletes', undefined, token)).body.map((a) => a.id).sort();
    expect(await seen()).toEqual([w.athletes.a1]);

    const grown = await t.api<UserView>('POST', `/api/users/${user.id}/grants`, { role: 'coach', teamId: w.teams.b });
    expect(grown.status).toBe(200);
    expect(await seen()).toEqual([w.athletes.a1, w.athletes.a2].sort());
    const twice = await t.api<Coded>('POST', `/api/users/${user.id}/grants`, { role: 'coach', teamId: w.teams.b });
    expect(twice.body.code).toBe('TL_ERR_CONFLICT');

    const teamA = grown.body.grants.find((g) => g.teamId === w.teams.a)!;
    const shrunk = await t.api<UserView>('DELETE', `/api/users/${user.id}/grants/${teamA.id}`);
    expect(shrunk.body.grants.map((g) => g.teamId)).toEqual([w.teams.b]);
    expect(await seen()).toEqual([w.athletes.a2]);
    expect((await t.api('GET', `/api/athletes/${w.athletes.a1}`, undefined, token)).status).toBe(404);

    const gone = await t.api<Coded>('DELETE', `/api/users/${user.id}/grants/${teamA.id}`);
    expect(gone.status).toBe(404);

    const disabled = await t.api<UserView>('POST', `/api/users/${user.id}/disable`);
    expect(disabled.body.disabledAt).toEqual(expect.any(Number));
    const after = await t.api<Coded>('GET', '/api/me', undefined, token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('TL_ERR_AUTH_REQUIRED');
    const relogin = await t.api<Coded>('POST', '/api/auth/login', { email: 'grow@example.org', password }, null);
    expect(relogin.body.code).toBe('TL_ERR_AUTH_FAILED');

    const audit = (await db.query(`select action, detail from audit_log where target = $1 order by id`, [user.id])).rows as { action: string; detail: Record<string, unknown> }[];
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'auth.login', 'user.grant', 'user.revoke-grant', 'user.disable']);
    expect(audit[3]!.detail).toMatchObject({ grantId: teamA.id, role: 'coach', teamId: w.teams.a });
  });

  it('never leaves central without an enabled admin', async () => {
    const admin = (await t.api<UserView[]>('GET', '/api/users')).body.find((u) => u.id === w.users.admin.id)!;
    const adminGrant = admin.grants.find((g) => g.role === 'admin')!;
    const removal = await t.api<Coded>('DELETE', `/api/users/${admin.id}/grants/${adminGrant.id}`);
    expect(removal.status).toBe(409);
    expect(removal.body.code).toBe('TL_ERR_LAST_ADMIN');
    const disabling = await t.api<Coded>('POST', `/api/users/${admin.id}/disable`);
    expect(disabling.body.code).toBe('TL_ERR_LAST_ADMIN');
    expect((await t.api('GET', '/api/users')).status).toBe(200);

    // With a second admin, the first may step down.
    const second = (await t.api<UserView>('POST', '/api/users', { email: 'second-admin@example.org', name: 'Second', password: 'second-admin-password', grants: [{ role: 'admin' }] })).body;
    const stepDown = await t.api<UserView>('DELETE', `/api/users/${admin.id}/grants/${adminGrant.id}`);
    expect(stepDown.status).toBe(200);
    expect((await t.api<Coded>('GET', '/api/users')).body.code).toBe('TL_ERR_FORBIDDEN');
    const token = (await t.api<{ token: string }>('POST', '/api/auth/login', { email: 'second-admin@example.org', password: 'second-admin-password' }, null)).body.token;
    const back = await t.api<UserView>('POST', `/api/users/${admin.id}/grants`, { role: 'admin' }, token);
    expect(back.status).toBe(200);
    expect(second.grants.map((g) => g.role)).toEqual(['admin']);
  });

  it('tells each user who they are and what they were granted', async () => {
    const me = await t.api<{ id: string; email: string; name: string; grants: UserView['grants'] }>('GET', '/api/me', undefined, w.users.clubCoach.token);
    expect(me.body).toEqual({
      id: w.users.clubCoach.id,
      email: w.users.clubCoach.email,
      name: 'clubCoach',
      grants: [{ id: expect.any(String), role: 'coach', organisationId: null, clubId: w.clubs.rovers, teamId: null, athleteId: null }],
    });
  });
});
