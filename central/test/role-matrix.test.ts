/**
 * Every API route × every kind of user: the exact status each gets, and for lists exactly the ids
 * each may see. The routes come from the app itself, so a new route without a row here fails.
 * Expected ids are written out from the world's layout (people-world.ts), not read back from the
 * API. Writes are probed with inputs that fail after the access check (unknown ids, bodies that
 * do not validate), so the world stays as built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, ROLES, type RoleName, type World } from './people-world.ts';
import { startTestCentral, type TestCentral } from './test-central.ts';

type Expect = Record<RoleName, number>;
interface Case {
  path: string;
  body?: unknown;
  raw?: { body: Buffer; contentType: string };
  expect: Expect;
  /** For 200 answers: the ids the role must see, exactly. */
  ids?: (body: unknown) => string[];
  allowed?: Partial<Record<RoleName, string[]>>;
}

const every = (status: number): Expect => ({ admin: status, analyst: status, orgAnalyst: status, coachA: status, clubCoach: status, athlete: status });
const adminOnly = (status: number): Expect => ({ ...every(403), admin: status });
const staff = (status: number): Expect => ({ ...every(403), admin: status, analyst: status, orgAnalyst: status });
/** Who sees a Rovers team-B athlete (a2): not team A's coach, not athlete a1. */
const seesA2 = (status: number): Expect => ({ admin: status, analyst: status, orgAnalyst: status, coachA: 404, clubCoach: status, athlete: 404 });
/** Who sees anything of United (other organisation): unscoped admin and analyst only. */
const seesUnited = (status: number): Expect => ({ ...every(404), admin: status, analyst: status });

const NOBODY = '00000000-0000-4000-8000-000000000000';
const idsOf = (body: unknown) => (body as { id: string }[]).map((r) => r.id);

describe('role matrix', () => {
  let t: TestCentral;
  let w: World;
  let matrix: Record<string, Case[]>;

  beforeAll(async () => {
    t = await startTestCentral();
    w = await buildWorld(t);
    const { a1, a2, b1 } = w.athletes;
    const all = [a1, a2, b1];
    const rovers = [a1, a2];
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const range = `from=${day(w.t0 - 30 * 86_400_000)}&to=${day(w.t0 + 86_400_000)}`;
    matrix = {
      'GET /api/health': [{ path: '/api/health', expect: every(200) }],
      'POST /api/auth/login': [{ path: '/api/auth/login', body: { email: 'x' }, expect: every(400) }],
      'GET /api/auth/me': [{ path: '/api/auth/me', expect: every(200) }],
      'GET /api/auth/oidc': [{ path: '/api/auth/oidc', expect: every(200) }],
      'GET /api/auth/oidc/start': [{ path: '/api/auth/oidc/start', expect: every(404) }],
      'GET /api/auth/oidc/callback': [{ path: '/api/auth/oidc/callback?code=x&state=y', expect: every(302) }],
      'GET /api/me': [{ path: '/api/me', expect: every(200), ids: (b) => [(b as { id: string }).id], allowed: Object.fromEntries(ROLES.map((r) => [r, [w.users[r].id]])) }],
      'GET /api/overview': [
        {
          path: '/api/overview',
          expect: every(200),
          ids: (b) => {
            const o = b as { organisations: { id: string; clubs: { id: string; teams: { id: string }[]; hubs: { id: string }[] }[] }[] };
            return o.organisations.flatMap((org) => [org.id, ...org.clubs.flatMap((c) => [c.id, ...c.teams.map((x) => x.id), ...c.hubs.map((h) => h.id)])]).sort();
          },
          allowed: {
            admin: [w.orgs.league, w.clubs.rovers, w.teams.a, w.teams.b, w.hubs.rovers, w.orgs.other, w.clubs.united, w.teams.x, w.hubs.united],
            analyst: [w.orgs.league, w.clubs.rovers, w.teams.a, w.teams.b, w.hubs.rovers, w.orgs.other, w.clubs.united, w.teams.x, w.hubs.united],
            orgAnalyst: [w.orgs.league, w.clubs.rovers, w.teams.a, w.teams.b, w.hubs.rovers],
            coachA: [w.orgs.league, w.clubs.rovers, w.teams.a, w.hubs.rovers],
            clubCoach: [w.orgs.league, w.clubs.rovers, w.teams.a, w.teams.b, w.hubs.rovers],
            athlete: [w.orgs.league, w.clubs.rovers, w.teams.a],
          },
        },
      ],
      'GET /api/organisations': [
        { path: '/api/organisations', expect: every(200), ids: idsOf, allowed: { admin: [w.orgs.league, w.orgs.other], analyst: [w.orgs.league, w.orgs.other], orgAnalyst: [w.orgs.league], coachA: [w.orgs.league], clubCoach: [w.orgs.league], athlete: [w.orgs.league] } },
      ],
      'POST /api/organisations': [{ path: '/api/organisations', body: {}, expect: adminOnly(400) }],
      'GET /api/clubs': [
        { path: '/api/clubs', expect: every(200), ids: idsOf, allowed: { admin: [w.clubs.rovers, w.clubs.united], analyst: [w.clubs.rovers, w.clubs.united], orgAnalyst: [w.clubs.rovers], coachA: [w.clubs.rovers], clubCoach: [w.clubs.rovers], athlete: [w.clubs.rovers] } },
        { path: `/api/clubs?organisationId=${w.orgs.other}`, expect: every(200), ids: idsOf, allowed: { admin: [w.clubs.united], analyst: [w.clubs.united], orgAnalyst: [], coachA: [], clubCoach: [], athlete: [] } },
      ],
      'POST /api/clubs': [{ path: '/api/clubs', body: {}, expect: adminOnly(400) }],
      'GET /api/teams': [
        {
          path: '/api/teams',
          expect: every(200),
          ids: idsOf,
          allowed: {
            admin: [w.teams.a, w.teams.b, w.teams.x],
            analyst: [w.teams.a, w.teams.b, w.teams.x],
            orgAnalyst: [w.teams.a, w.teams.b],
            coachA: [w.teams.a],
            clubCoach: [w.teams.a, w.teams.b],
            athlete: [w.teams.a],
          },
        },
      ],
      'POST /api/teams': [{ path: '/api/teams', body: {}, expect: adminOnly(400) }],
      'GET /api/athletes': [
        { path: '/api/athletes', expect: every(200), ids: idsOf, allowed: { admin: all, analyst: all, orgAnalyst: rovers, coachA: [a1], clubCoach: rovers, athlete: [a1] } },
        { path: `/api/athletes?teamId=${w.teams.b}`, expect: every(200), ids: idsOf, allowed: { admin: [a2], analyst: [a2], orgAnalyst: [a2], coachA: [], clubCoach: [a2], athlete: [] } },
      ],
      'GET /api/athletes/{id}': [
        { path: `/api/athletes/${a1}`, expect: every(200) },
        { path: `/api/athletes/${a2}`, expect: seesA2(200) },
        { path: `/api/athletes/${b1}`, expect: seesUnited(200) },
        { path: `/api/athletes/${NOBODY}`, expect: every(404) },
      ],
      'DELETE /api/athletes/{id}': [{ path: `/api/athletes/${NOBODY}`, expect: adminOnly(404) }],
      'PUT /api/athletes/{id}/team': [{ path: `/api/athletes/${a1}/team`, body: { teamId: NOBODY }, expect: adminOnly(404) }],
      'GET /api/athletes/{id}/export': [
        { path: `/api/athletes/${a1}/export`, expect: { admin: 200, analyst: 403, orgAnalyst: 403, coachA: 403, clubCoach: 403, athlete: 200 } },
        { path: `/api/athletes/${a2}/export`, expect: { admin: 200, analyst: 403, orgAnalyst: 403, coachA: 404, clubCoach: 403, athlete: 404 } },
      ],
      'GET /api/athletes/{id}/readings/counts': [
        { path: `/api/athletes/${a1}/readings/counts`, expect: every(200) },
        { path: `/api/athletes/${a2}/readings/counts`, expect: seesA2(200) },
        { path: `/api/athletes/${b1}/readings/counts`, expect: seesUnited(200) },
      ],
      'GET /api/athletes/{id}/readings': [
        { path: `/api/athletes/${a2}/readings?kind=hr&from=0&to=4102444800000`, expect: seesA2(200) },
        { path: `/api/athletes/${b1}/readings?kind=hr&from=0&to=4102444800000`, expect: seesUnited(200) },
      ],
      'GET /api/athletes/{id}/load': [{ path: `/api/athletes/${a2}/load?${range}`, expect: seesA2(200) }],
      'GET /api/athletes/{id}/hrv': [{ path: `/api/athletes/${a2}/hrv?${range}`, expect: seesA2(200) }],
      'GET /api/athletes/{id}/sessions': [{ path: `/api/athletes/${a2}/sessions?${range}`, expect: seesA2(200) }],
      'GET /api/athletes/{id}/workouts': [{ path: `/api/athletes/${a2}/workouts`, expect: seesA2(200) }],
      'POST /api/athletes/{id}/workouts': [
        { path: `/api/athletes/${a2}/workouts?filename=run.gpx`, raw: { body: Buffer.from('not a gpx file'), contentType: 'application/octet-stream' }, expect: seesA2(400) },
      ],
      'GET /api/teams/{id}/load': [
        { path: `/api/teams/${w.teams.a}/load?${range}`, expect: { ...every(200), athlete: 404 } },
        { path: `/api/teams/${w.teams.b}/load?${range}`, expect: { ...seesA2(200) } },
        { path: `/api/teams/${w.teams.x}/load?${range}`, expect: seesUnited(200) },
      ],
      'GET /api/compare': [{ path: `/api/compare?athletes=${a2}&${range}`, expect: seesA2(200) }],
      'GET /api/sessions': [
        {
          path: '/api/sessions',
          expect: every(200),
          ids: idsOf,
          allowed: {
            admin: [w.sessions.rovers, w.sessions.roversOld, w.sessions.united],
            analyst: [w.sessions.rovers, w.sessions.roversOld, w.sessions.united],
            orgAnalyst: [w.sessions.rovers, w.sessions.roversOld],
            coachA: [w.sessions.rovers, w.sessions.roversOld],
            clubCoach: [w.sessions.rovers, w.sessions.roversOld],
            athlete: [w.sessions.rovers, w.sessions.roversOld],
          },
        },
      ],
      'GET /api/sessions/{id}': [
        {
          path: `/api/sessions/${w.sessions.rovers}`,
          expect: every(200),
          // The athletes whose RPE and readings the caller gets ("-" stands for the unpaired pod).
          ids: (b) => {
            const s = b as { rpe: { athleteId: string }[]; readings: { athleteId: string | null }[] };
            return [...s.rpe.map((r) => `rpe:${r.athleteId}`), ...s.readings.map((r) => `readings:${r.athleteId ?? '-'}`)];
          },
          allowed: {
            admin: [`rpe:${a1}`, `rpe:${a2}`, `readings:${a1}`, `readings:${a2}`, 'readings:-'],
            analyst: [`rpe:${a1}`, `rpe:${a2}`, `readings:${a1}`, `readings:${a2}`, 'readings:-'],
            orgAnalyst: [`rpe:${a1}`, `rpe:${a2}`, `readings:${a1}`, `readings:${a2}`, 'readings:-'],
            coachA: [`rpe:${a1}`, `readings:${a1}`],
            clubCoach: [`rpe:${a1}`, `rpe:${a2}`, `readings:${a1}`, `readings:${a2}`, 'readings:-'],
            athlete: [`rpe:${a1}`, `readings:${a1}`],
          },
        },
        { path: `/api/sessions/${w.sessions.united}`, expect: seesUnited(200) },
      ],
      'GET /api/sessions/{id}/report': [
        {
          path: `/api/sessions/${w.sessions.rovers}/report`,
          expect: every(200),
          ids: (b) => (b as { athletes: { athleteId: string }[] }).athletes.map((a) => a.athleteId),
          allowed: { admin: rovers, analyst: rovers, orgAnalyst: rovers, coachA: [a1], clubCoach: rovers, athlete: [a1] },
        },
        { path: `/api/sessions/${w.sessions.united}/report`, expect: seesUnited(200) },
      ],
      'GET /api/hubs': [
        {
          path: '/api/hubs',
          expect: staff(200),
          ids: idsOf,
          allowed: { admin: [w.hubs.rovers, w.hubs.united], analyst: [w.hubs.rovers, w.hubs.united], orgAnalyst: [w.hubs.rovers] },
        },
      ],
      'POST /api/hubs': [{ path: '/api/hubs', body: {}, expect: adminOnly(400) }],
      'GET /api/hubs/{id}': [
        { path: `/api/hubs/${w.hubs.rovers}`, expect: staff(200) },
        { path: `/api/hubs/${w.hubs.united}`, expect: { ...staff(200), orgAnalyst: 404 } },
      ],
      'POST /api/hubs/{id}/enrolment-codes': [{ path: `/api/hubs/${NOBODY}/enrolment-codes`, expect: adminOnly(404) }],
      'POST /api/hubs/{id}/revoke': [{ path: `/api/hubs/${NOBODY}/revoke`, expect: adminOnly(404) }],
      'POST /api/hubs/enrol': [{ path: '/api/hubs/enrol', body: {}, expect: every(400) }],
      'POST /api/uplink/batches': [{ path: '/api/uplink/batches', body: {}, expect: every(401) }],
      'GET /api/audit': [{ path: '/api/audit', expect: adminOnly(200) }],
      'GET /api/users': [{ path: '/api/users', expect: adminOnly(200), ids: idsOf, allowed: { admin: ROLES.map((r) => w.users[r].id) } }],
      'POST /api/users': [{ path: '/api/users', body: { email: 'nobody' }, expect: adminOnly(400) }],
      'POST /api/users/{id}/grants': [{ path: `/api/users/${NOBODY}/grants`, body: { role: 'admin' }, expect: adminOnly(404) }],
      'DELETE /api/users/{id}/grants/{grantId}': [{ path: `/api/users/${NOBODY}/grants/${NOBODY}`, expect: adminOnly(404) }],
      'POST /api/users/{id}/disable': [{ path: `/api/users/${NOBODY}/disable`, expect: adminOnly(404) }],
    };
  });
  afterAll(() => t?.close());

  it('has a row for every route the app serves', () => {
    const spec = t.central.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const served = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, methods]) => Object.keys(methods).filter((m) => m !== 'head').map((m) => `${m.toUpperCase()} ${path}`));
    expect(Object.keys(matrix).sort()).toEqual([...new Set(served)].sort());
  });

  it('counts in the overview only what each role sees', async () => {
    interface OverviewBody {
      organisations: { name: string; clubs: { name: string; athletes: number; sessionsLast7Days: number; teams: { name: string; athletes: number }[]; hubs: { name: string }[] }[] }[];
    }
    const flat = async (role: RoleName) => {
      const body = (await t.api<OverviewBody>('GET', '/api/overview', undefined, w.users[role].token)).body;
      return body.organisations.flatMap((o) =>
        o.clubs.map((c) => `${o.name}/${c.name}: ${c.athletes} athletes, ${c.sessionsLast7Days} sessions; ${c.teams.map((x) => `${x.name}=${x.athletes}`).join(' ')}; hubs ${c.hubs.length}`),
      );
    };
    // Rovers: Ada (team A) and Bea (team B), a session two days ago and one 20 days ago; United: Cleo.
    expect(await flat('admin')).toEqual(['League/Rovers: 2 athletes, 1 sessions; A=1 B=1; hubs 1', 'Other League/United: 1 athletes, 1 sessions; X=1; hubs 1']);
    expect(await flat('orgAnalyst')).toEqual(['League/Rovers: 2 athletes, 1 sessions; A=1 B=1; hubs 1']);
    expect(await flat('clubCoach')).toEqual(['League/Rovers: 2 athletes, 1 sessions; A=1 B=1; hubs 1']);
    expect(await flat('coachA')).toEqual(['League/Rovers: 1 athletes, 1 sessions; A=1; hubs 1']);
    expect(await flat('athlete')).toEqual(['League/Rovers: 1 athletes, 1 sessions; A=1; hubs 0']);
  });

  for (const role of ROLES) {
    it(`answers ${role} with exactly what the role may see`, async () => {
      const token = w.users[role].token;
      const failures: string[] = [];
      for (const [route, cases] of Object.entries(matrix)) {
        const method = route.split(' ')[0]!;
        for (const c of cases) {
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          let body: string | Buffer | undefined;
          if (c.raw) {
            headers['content-type'] = c.raw.contentType;
            body = c.raw.body;
          } else if (c.body !== undefined) {
            headers['content-type'] = 'application/json';
            body = JSON.stringify(c.body);
          }
          const res = await fetch(t.url + c.path, { method, headers, body, redirect: 'manual' });
          const text = await res.text();
          if (res.status !== c.expect[role]) {
            failures.push(`${method} ${c.path}: ${res.status} (expected ${c.expect[role]}) ${text.slice(0, 160)}`);
            continue;
          }
          const allowed = c.allowed?.[role];
          if (res.status === 200 && c.ids && allowed) {
            const seen = c.ids(JSON.parse(text)).sort();
            if (JSON.stringify(seen) !== JSON.stringify([...allowed].sort())) failures.push(`${method} ${c.path}: saw ${seen.join(',')} expected ${[...allowed].sort().join(',')}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
