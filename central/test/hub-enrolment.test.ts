import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clubWithHub, postBatch, startTestCentral, type TestCentral } from './test-central.ts';

interface Coded {
  code: string;
  message: string;
}

const HOUR = 3600_000;

describe('hub enrolment and credentials', () => {
  let t: TestCentral;
  let clock = Date.now();

  beforeAll(async () => {
    t = await startTestCentral({ now: () => clock });
  });
  afterAll(() => t.close());

  const enrol = (code: string, name = 'Training ground') => t.api<{ hubId: string; clubId: string; credential: string } & Coded>('POST', '/api/hubs/enrol', { code, name }, null);
  const emptyBatch = (hubId: string, clubId: string) => ({ hubId, clubId, athletes: [], sessions: [], samples: null });

  it('issues a single-use code that yields a working credential', async () => {
    const { hubId, clubId, code } = await clubWithHub(t, 'Rovers');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);

    // Typed by hand: lower case and without dashes is the same code.
    const first = await enrol(code.toLowerCase().replaceAll('-', ''));
    expect(first.status).toBe(200);
    expect(first.body.hubId).toBe(hubId);
    expect(first.body.clubId).toBe(clubId);
    expect(first.body.credential.startsWith(`${hubId}.`)).toBe(true);

    const again = await enrol(code);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('TL_ERR_ENROLMENT_CODE_INVALID');
    expect(again.body.message).toContain('already used');

    const unknown = await enrol('AAAA-BBBB-CCCC-DDDD');
    expect(unknown.body.code).toBe('TL_ERR_ENROLMENT_CODE_INVALID');
    expect(unknown.body.message).toContain('unknown');

    const ok = await postBatch<{ ackedSeq: number }>(t.url, first.body.credential, emptyBatch(hubId, clubId));
    expect(ok.status).toBe(200);
    const hub = await t.api<{ name: string; enrolledAt: number; lastSeenAt: number }>('GET', `/api/hubs/${hubId}`);
    expect(hub.body.name).toBe('Training ground');
    expect(hub.body.lastSeenAt).toBe(clock);
  });

  it('answers a repeated enrolment with the same hub secret again, and only that one', async () => {
    const { hubId, code } = await clubWithHub(t, 'Albion');
    const secret = 'S'.repeat(43);
    const first = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code, name: 'Albion box', secret }, null);
    expect(first.body.credential).toBe(`${hubId}.${secret}`);
    // The answer was lost on the way; the hub asks again with the same secret.
    const retry = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code, name: 'Albion box', secret }, null);
    expect(retry.status).toBe(200);
    expect(retry.body.credential).toBe(first.body.credential);
    const thief = await t.api<Coded>('POST', '/api/hubs/enrol', { code, name: 'Thief', secret: 'T'.repeat(43) }, null);
    expect(thief.body.code).toBe('TL_ERR_ENROLMENT_CODE_INVALID');
  });

  it('lets a code expire after enrolmentCodeHours (72 h by default)', async () => {
    const { code } = await clubWithHub(t, 'Athletic');
    const issuedAt = clock;
    try {
      clock = issuedAt + 72 * HOUR + 1;
      const late = await enrol(code);
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('TL_ERR_ENROLMENT_CODE_INVALID');
      expect(late.body.message).toContain('expired');
    } finally {
      clock = issuedAt;
    }
    // Still unused, so it works again inside its lifetime (the clock went back).
    clock = issuedAt + 72 * HOUR - 1000;
    try {
      expect((await enrol(code)).status).toBe(200);
    } finally {
      clock = issuedAt;
    }
  });

  it('refuses uploads without a valid hub credential', async () => {
    const { hubId, clubId, code } = await clubWithHub(t, 'United');
    const { credential } = (await enrol(code)).body;
    const batch = emptyBatch(hubId, clubId);
    const cases: [string | null, string][] = [
      [null, 'no credential'],
      ['not-a-credential', 'garbage'],
      [`${hubId}.${'x'.repeat(43)}`, 'wrong secret'],
      [`00000000-0000-4000-8000-000000000000.${credential.split('.')[1]}`, 'unknown hub'],
      [t.adminToken, 'a portal token'],
    ];
    for (const [token, why] of cases) {
      const res = await postBatch<Coded>(t.url, token, batch);
      expect(res.status, why).toBe(401);
      expect(res.body.code, why).toBe('TL_ERR_HUB_UNAUTHORIZED');
    }
    // ...and a hub credential opens no admin route.
    const admin = await t.api<Coded>('GET', '/api/hubs', undefined, credential);
    expect(admin.body.code).toBe('TL_ERR_AUTH_REQUIRED');
  });

  it('rotates the credential when the hub enrols with a fresh code', async () => {
    const { hubId, clubId, code } = await clubWithHub(t, 'City');
    const old = (await enrol(code)).body.credential;
    const fresh = await t.api<{ code: string }>('POST', `/api/hubs/${hubId}/enrolment-codes`);
    const replaced = (await enrol(fresh.body.code, 'Replacement box')).body;
    expect(replaced.hubId).toBe(hubId);
    expect((await postBatch(t.url, replaced.credential, emptyBatch(hubId, clubId))).status).toBe(200);
    const stale = await postBatch<Coded>(t.url, old, emptyBatch(hubId, clubId));
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('TL_ERR_HUB_UNAUTHORIZED');
  });

  it('refuses every upload of a revoked hub, and its unused codes', async () => {
    const { hubId, clubId, code } = await clubWithHub(t, 'Wanderers');
    const { credential } = (await enrol(code)).body;
    expect((await postBatch(t.url, credential, emptyBatch(hubId, clubId))).status).toBe(200);
    const spare = await t.api<{ code: string }>('POST', `/api/hubs/${hubId}/enrolment-codes`);

    const revoked = await t.api<{ revokedAt: number }>('POST', `/api/hubs/${hubId}/revoke`);
    expect(revoked.body.revokedAt).toBe(clock);
    const refused = await postBatch<Coded>(t.url, credential, emptyBatch(hubId, clubId));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('TL_ERR_HUB_REVOKED');
    expect((await enrol(spare.body.code)).body.code).toBe('TL_ERR_ENROLMENT_CODE_INVALID');
    expect((await t.api<Coded>('POST', `/api/hubs/${hubId}/enrolment-codes`)).body.code).toBe('TL_ERR_CONFLICT');

    const audit = await t.api<{ action: string; target: string }[]>('GET', '/api/audit?limit=500');
    const actions = audit.body.filter((e) => e.target === hubId).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['hub.create', 'hub.enrol', 'hub.enrolment-code', 'hub.revoke']));
  });

  it('creates the first admin once and keeps admin routes closed to everyone else', async () => {
    expect(await t.central.auth.bootstrapAdmin('second@example.org')).toBeNull();
    expect((await t.api<Coded>('POST', '/api/organisations', { name: 'Nope' }, null)).body.code).toBe('TL_ERR_AUTH_REQUIRED');
    const wrong = await t.api<Coded>('POST', '/api/auth/login', { email: 'admin@example.org', password: 'guess' }, null);
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('TL_ERR_AUTH_FAILED');
    // The API documentation is open to read.
    const docs = await t.api<{ paths: Record<string, unknown> }>('GET', '/docs/json', undefined, null);
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/uplink/batches', '/api/hubs/enrol', '/api/sessions/{id}']));
  });
});
