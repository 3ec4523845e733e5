/**
 * The head-office portal end to end: Debian's Chromium (driven by playwright-core) against a real
 * central on loopback with its own PostgreSQL database, seeded through the real API: organisation,
 * clubs and teams, an enrolled hub uploading a batch of athletes, a session with RPE and
 * heart-rate readings, and a coach account. Figures the pages show are checked against values
 * worked out here by hand from what was sent. Screenshots go to artifacts/screenshots/portal-*.png.
 * The UI is built first by this project's global setup (global-setup.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN, clubWithHub, postBatch, startTestCentral, type TestCentral } from '../../central/test/test-central.ts';
import type { SampleGroup, UplinkAthlete, UplinkBatch } from '../../central/src/schemas/uplink.schema.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');
const FIT_FILE = join(import.meta.dirname, '..', '..', 'core', 'test', 'fixtures', 'workouts', 'garmin-fenix-5-run.fit');
const FIT_RECORDS = join(import.meta.dirname, '..', '..', 'core', 'test', 'fixtures', 'workouts', 'garmin-fenix-5-run-records.csv');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = 20_000;
const DAY_MS = 86_400_000;

const COACH = { email: 'coach@riverside.example', name: 'Casey Coach', password: 'touchline-coach-1' };

/** Two days ago, 10:00 UTC: inside the last 7 days whenever the test runs. */
const SESSION_START = Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS + 10 * 3600_000;
const SESSION_MINUTES = 60;
/** Session RPE × minutes (Foster 2001) is the srpe load, the portal's default measure. */
const RPE = { ada: 7, bea: 5 };
const SRPE = { ada: RPE.ada * SESSION_MINUTES, bea: RPE.bea * SESSION_MINUTES };

const athlete = (id: string, name: string, number: number, position: string): UplinkAthlete => ({
  id, name, number, position, group: null, hrMax: 190, hrRest: 50, sex: 'female', massKg: 60, birthYear: 2000, zones: null, thresholds: null, archived: false,
});

/** A reading every 5 s through the session, with beat-to-beat intervals so HRV can be computed. */
function heartRate(firstSeq: number, sensorId: string, athleteId: string, bpm: number): SampleGroup {
  const readings = Array.from({ length: (SESSION_MINUTES * 60) / 5 }, (_, i) => ({ t: SESSION_START + i * 5000, bpm: bpm + (i % 10), rr: [Math.round(60_000 / bpm) + (i % 3) * 10] }));
  return { firstSeq, sensorId, athleteId, kind: 'hr', readings };
}

interface Athlete {
  id: string;
  name: string;
  localId: string | null;
}

describe('head-office portal in a real browser', () => {
  let t: TestCentral;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let riverside: { organisationId: string; clubId: string; hubId: string };
  let teamId: string;
  let ada: Athlete;
  let bea: Athlete;
  let cleo: Athlete;
  let sessionId: string;
  const pageErrors: string[] = [];

  const url = (path: string) => t.url + path;
  const poll = <T>(read: () => Promise<T>, timeout = WAIT) => expect.poll(read, { timeout, interval: 100 });
  const texts = (selector: string) => page.locator(selector).allTextContents().then((all) => all.map((s) => s.replace(/\s+/g, ' ').trim()));
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `portal-${name}.png`) });

  async function signIn(email: string, password: string): Promise<void> {
    await page.goto(url('/portal/login'));
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestCentral();

    // Riverside: a team, an enrolled hub, and a batch with two athletes, a session and readings.
    const club = await clubWithHub(t, 'Riverside FC', 'Northern League');
    riverside = club;
    teamId = (await t.api<{ id: string }>('POST', '/api/teams', { clubId: club.clubId, name: 'First team' })).body.id;
    const enrolled = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code: club.code, name: 'Riverside ground' }, null);
    expect(enrolled.status).toBe(200);
    const groups = [heartRate(1, 'strap-ada', 'ada', 140), heartRate(721, 'strap-bea', 'bea', 130)];
    const batch: UplinkBatch = {
      hubId: club.hubId,
      clubId: club.clubId,
      athletes: [athlete('ada', 'Ada Lovelace', 7, 'midfield'), athlete('bea', 'Bea Bond', 9, 'forward')],
      sessions: [
        {
          id: 'session-1',
          name: 'Tuesday training',
          kind: 'training',
          startedAt: SESSION_START,
          endedAt: SESSION_START + SESSION_MINUTES * 60_000,
          notes: '',
          drills: [{ id: 'drill-1', name: 'Rondo', startedAt: SESSION_START + 600_000, endedAt: SESSION_START + 1_800_000 }],
          rpe: [
            { athleteId: 'ada', rpe: RPE.ada, durationMin: SESSION_MINUTES, enteredAt: SESSION_START + SESSION_MINUTES * 60_000 },
            { athleteId: 'bea', rpe: RPE.bea, durationMin: SESSION_MINUTES, enteredAt: SESSION_START + SESSION_MINUTES * 60_000 },
          ],
        },
      ],
      samples: { stream: 'samples:portal-test', fromSeq: 1, toSeq: 1440, groups },
    };
    const sent = await postBatch<{ ackedSeq: number }>(t.url, enrolled.body.credential, batch);
    expect(sent.status).toBe(200);
    expect(sent.body.ackedSeq).toBe(1440);

    const athletes = (await t.api<Athlete[]>('GET', `/api/athletes?clubId=${club.clubId}`)).body;
    ada = athletes.find((a) => a.localId === 'ada')!;
    bea = athletes.find((a) => a.localId === 'bea')!;
    for (const a of [ada, bea]) expect((await t.api('PUT', `/api/athletes/${a.id}/team`, { teamId })).status).toBe(200);
    sessionId = (await t.api<{ id: string }[]>('GET', `/api/sessions?clubId=${club.clubId}`)).body[0]!.id;

    // A second club, with an athlete of its own, that the coach must not see.
    const hillside = await clubWithHub(t, 'Hillside Rovers', 'Northern League');
    await t.api('POST', '/api/teams', { clubId: hillside.clubId, name: 'Hillside first team' });
    const hillsideHub = await t.api<{ credential: string }>('POST', '/api/hubs/enrol', { code: hillside.code, name: 'Hillside ground' }, null);
    const hillsideBatch: UplinkBatch = { hubId: hillside.hubId, clubId: hillside.clubId, athletes: [athlete('cleo', 'Cleo Hill', 4, 'defence')], sessions: [], samples: null };
    expect((await postBatch(t.url, hillsideHub.body.credential, hillsideBatch)).status).toBe(200);
    cleo = (await t.api<Athlete[]>('GET', `/api/athletes?clubId=${hillside.clubId}`)).body[0]!;

    const coach = await t.api('POST', '/api/users', { ...COACH, grants: [{ role: 'coach', teamId }] });
    expect(coach.status).toBe(200);

    // Loads are worked out after the batch is acknowledged; wait for that before looking.
    await t.central.aggregates.settle();

    profile = mkdtempSync(join(tmpdir(), 'touchline-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Refused requests (the wrong password, a coach opening an admin address) are expected.
      if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) pageErrors.push(message.text());
    });
  }, 240_000);

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await page?.screenshot({ path: join(SHOTS, `failed-portal-${task.name.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      if (pageErrors.length) console.error('errors in the pages:', pageErrors);
    });
  });

  afterAll(async () => {
    await context?.close();
    await t?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 60_000);

  it('serves the portal from central: / redirects, app paths get the page, unknown API paths stay JSON', async () => {
    const root = await fetch(url('/'), { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/portal');
    const deep = await fetch(url(`/portal/teams/${teamId}`));
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toMatch(/text\/html/);
    const api = await fetch(url('/api/no-such-thing'), { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'TL_ERR_NOT_FOUND' });
    // A missing script is a 404, never the app page (a browser would try to run the HTML).
    expect((await fetch(url('/_app/immutable/missing.js'))).status).toBe(404);
    expect((await fetch(url('/portal/missing.png'))).status).toBe(404);
  });

  it('sends a signed-out visitor to sign in and refuses a wrong password', async () => {
    await page.goto(url('/portal'));
    await page.waitForURL(/\/portal\/login/);
    await signIn(ADMIN.email, 'not-the-password');
    await poll(() => page.locator('[data-testid=login-error]').textContent()).toMatch(/wrong/i);
    expect(new URL(page.url()).pathname).toBe('/portal/login');
    expect(await page.evaluate(() => localStorage.getItem('touchline.portal.token'))).toBeNull();
    await shot('login');
  });

  it('signs the admin in; the overview lists every club with its teams and hubs', async () => {
    await signIn(ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => u.pathname === '/portal');
    await poll(() => texts('[data-testid=club] h3')).toEqual(expect.arrayContaining(['Riverside FC', 'Hillside Rovers']));
    const riversideCard = page.locator('[data-testid=club]', { hasText: 'Riverside FC' });
    // Two athletes uploaded, one session in the last seven days, one enrolled hub that has sent.
    expect((await riversideCard.textContent())?.replace(/\s+/g, ' ')).toMatch(/2 athletes · 1 sessions in 7 days/);
    expect(await riversideCard.locator('a', { hasText: 'First team' }).count()).toBe(1);
    // The hub took the name it enrolled with.
    expect(await riversideCard.textContent()).toMatch(/Riverside ground\s+last upload/);
    // The admin sees the administration pages.
    expect(await texts('nav[aria-label=Portal] a')).toEqual(['Overview', 'Compare', 'Sessions', 'Hubs', 'Users']);
    await shot('overview');
  });

  it('team load page draws the charts and lists the team with their load', async () => {
    await page.locator('[data-testid=club]', { hasText: 'Riverside FC' }).locator('a', { hasText: 'First team' }).click();
    await page.waitForURL(new RegExp(`/portal/teams/${teamId}`));
    await poll(() => page.locator('[data-testid=team-athlete]').count()).toBe(2);
    for (const chart of ['chart-load', 'chart-acwr', 'chart-monotony']) expect(await page.locator(`[data-testid=${chart}] canvas`).count()).toBe(1);
    // Rows: #, name, position, last 7 days (srpe), ...
    const rows = await page.locator('[data-testid=team-athlete]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    const byName = new Map(rows.map((cells) => [cells[1], cells]));
    expect([...byName.keys()].sort()).toEqual(['Ada Lovelace', 'Bea Bond']);
    expect(byName.get('Ada Lovelace')!.slice(0, 4)).toEqual(['7', 'Ada Lovelace', 'midfield', String(SRPE.ada)]);
    expect(byName.get('Bea Bond')!.slice(0, 4)).toEqual(['9', 'Bea Bond', 'forward', String(SRPE.bea)]);
    await shot('team-load');
  });

  it('athlete profile shows the load, the HRV trend and the session', async () => {
    await page.locator('[data-testid=team-athlete] a', { hasText: 'Ada Lovelace' }).click();
    await page.waitForURL(new RegExp(`/portal/athletes/${ada.id}`));
    await poll(() => page.locator('[data-testid=athlete-name]').textContent()).toBe('Ada Lovelace');
    await poll(() => page.locator('[data-testid=chart-athlete-load] canvas').count()).toBe(1);
    await poll(() => texts('[data-testid=athlete-sessions] tbody td:first-child')).toEqual(['Tuesday training training']);
    // The session's srpe load is RPE × minutes.
    expect(await page.locator('[data-testid=athlete-sessions] tbody td').nth(5).textContent()).toBe(String(SRPE.ada));
    await poll(() => page.locator('[data-testid=chart-hrv] canvas, [data-testid=hrv-empty]').count()).toBe(1);
    await shot('athlete');
  });

  it('uploads a FIT file with progress and lists the workout', async () => {
    expect(await page.locator('[data-testid=workouts]').count()).toBe(0);
    // The request is held back until the page has been seen showing the upload under way.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/athletes/*/workouts?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.setInputFiles('[data-testid=workout-file]', FIT_FILE);
    await page.click('button:has-text("Upload")');
    await poll(() => page.locator('[data-testid=upload-progress]').count()).toBe(1);
    expect(await page.locator('button:has-text("Uploading…")').isDisabled()).toBe(true);
    // The bar's figure is not checked here: an intercepted request holds its body too, so Chromium
    // reports no upload progress until it is released.
    release();
    await poll(() => page.locator('[data-testid=workout]').count()).toBe(1);
    await page.unroute('**/api/athletes/*/workouts?*');
    expect(await page.locator('[data-testid=upload-progress]').count()).toBe(0);
    const cells = await page.locator('[data-testid=workout] td').allTextContents();
    expect(cells[0]).toBe('garmin-fenix-5-run.fit FIT');
    // The run's distance is the last record's cumulative distance (the FIT SDK's own export of the file).
    const lastRecord = readFileSync(FIT_RECORDS, 'utf8').trim().split('\n').at(-1)!.split(',');
    expect(cells[4]).toBe(`${Math.round(Number(lastRecord[4]))} m`);
    const stored = await t.api<{ filename: string }[]>('GET', `/api/athletes/${ada.id}/workouts`);
    expect(stored.body.map((w) => w.filename)).toEqual(['garmin-fenix-5-run.fit']);
    await page.locator('[data-testid=workouts]').scrollIntoViewIfNeeded();
    await shot('workout-upload');
  });

  it('session report lists both athletes with their figures', async () => {
    await page.locator('[data-testid=athlete-sessions] a', { hasText: 'Tuesday training' }).click();
    await page.waitForURL(new RegExp(`/portal/sessions/${sessionId}`));
    await poll(() => page.locator('[data-testid=session-name]').textContent()).toMatch(/^Tuesday training/);
    const rows = await page.locator('[data-testid=session-athletes] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    const srpeByName = Object.fromEntries(rows.map((cells) => [cells[0], cells[4]]));
    expect(srpeByName).toEqual({ 'Ada Lovelace': String(SRPE.ada), 'Bea Bond': String(SRPE.bea) });
    expect(await page.locator('h2', { hasText: 'Rondo' }).count()).toBe(1);
    await shot('session-report');
  });

  it('compares two athletes against the team mean', async () => {
    await page.goto(url(`/portal/compare?team=${teamId}&athletes=${ada.id},${bea.id}&versus=team`));
    await poll(() => page.locator('[data-testid=compare-totals] tbody tr').count()).toBe(3);
    expect(await page.locator('[data-testid=chart-compare] canvas').count()).toBe(1);
    const totals = await page.locator('[data-testid=compare-totals] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent?.trim() ?? '')));
    // The team's mean day is the mean of its athletes' days, so its total is the mean of theirs.
    expect(totals.map((r) => r[1])).toEqual([String(SRPE.ada), String(SRPE.bea), String((SRPE.ada + SRPE.bea) / 2)]);
    await shot('compare');
  });

  it('admin registers a hub and is shown its enrolment code once, which enrols a hub', async () => {
    await page.goto(url('/portal/admin/hubs'));
    await poll(() => page.locator('[data-testid=hub-row]').count()).toBe(2);
    await page.selectOption('[data-testid=hub-club]', { label: 'Riverside FC' });
    await page.fill('[data-testid=hub-name]', 'Riverside second pitch');
    await page.click('button:has-text("Register and show its code")');
    const code = (await page.locator('[data-testid=enrolment-code]').textContent({ timeout: WAIT }))!.trim();
    expect(code.length).toBeGreaterThan(8);
    await poll(() => page.locator('[data-testid=hub-row]').count()).toBe(3);
    await shot('hubs');
    // The code on the screen is the real one: a hub can enrol with it.
    const enrol = await t.api<{ clubId: string }>('POST', '/api/hubs/enrol', { code, name: 'Second pitch box' }, null);
    expect(enrol.status).toBe(200);
    expect(enrol.body.clubId).toBe(riverside.clubId);
    // Shown once: after leaving the page it is gone.
    await page.reload();
    await poll(() => page.locator('[data-testid=hub-row]').count()).toBe(3);
    expect(await page.locator('[data-testid=enrolment-code]').count()).toBe(0);
  });

  it('admin sees users with their grants', async () => {
    await page.goto(url('/portal/admin/users'));
    await poll(() => page.locator('[data-testid=user-row]').count()).toBe(2);
    const coachRow = page.locator('[data-testid=user-row]', { hasText: COACH.email });
    await poll(() => coachRow.locator('.grant').allTextContents()).toEqual(['coach of team First team']);
    await shot('users');
  });

  it('a coach sees their team only and no administration', async () => {
    await page.locator('[data-testid=portal-user]').click();
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/portal\/login/);
    await signIn(COACH.email, COACH.password);
    await page.waitForURL((u) => u.pathname === '/portal');
    await poll(() => texts('[data-testid=club] h3')).toEqual(['Riverside FC']);
    expect(await texts('nav[aria-label=Portal] a')).toEqual(['Overview', 'Compare']);
    await shot('coach-overview');
    await page.goto(url('/portal/admin/hubs'));
    await poll(() => page.locator('[data-testid=empty-state] h2').textContent()).toBe('Administration needs an admin account');
    expect(await page.locator('[data-testid=hubs]').count()).toBe(0);
    await page.goto(url('/portal/admin/users'));
    await poll(() => page.locator('[data-testid=empty-state] h2').textContent()).toBe('Administration needs an admin account');
    // The coach's own team's page works; another club's athlete is not there for them.
    await page.goto(url(`/portal/teams/${teamId}`));
    await poll(() => page.locator('[data-testid=team-athlete]').count()).toBe(2);
    await page.goto(url(`/portal/athletes/${cleo.id}`));
    await poll(() => page.locator('[data-testid=empty-state] h2').textContent()).toBe('No such athlete here');
    expect(await page.locator('[data-testid=athlete-name]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
