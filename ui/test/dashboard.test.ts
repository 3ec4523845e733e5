/**
 * The dashboard end to end: Debian's Chromium (driven by playwright-core) against a real hub on
 * loopback, fed by the squad simulator over real MQTT plus one test device whose readings the
 * tests choose. Each step checks what the page shows against the hub's own API or against values
 * derived by hand from the readings sent. Screenshots of the main pages go to
 * artifacts/screenshots/. The UI is built first by this project's global setup (global-setup.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { demoSquad, startSimulator, type RunningSimulator } from '@touchline/firmware-bridge';
import { ADMIN } from '../../hub/test/test-hub.ts';
import { startUiHub, type UiHub } from './ui-hub.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SQUAD = 6;
const WAIT = 20_000;

interface Athlete {
  id: string;
  name: string;
  number: number | null;
  hrMax: number;
}
interface Alert {
  id: string;
  kind: string;
  athleteId: string | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}
interface Session {
  id: string;
  name: string;
  endedAt: number | null;
  currentDrill: { name: string } | null;
  markers: { label: string }[];
  rpe: { athleteId: string; rpe: number; durationMin: number; load: number }[];
}

/** A firmware bridge's status as it publishes it (firmware-bridge/src/bridge.ts BridgeStatus), with chosen figures. */
function bridgeStatus(bridgeId: string, state: 'running' | 'offline') {
  const spool = { policy: 'drop-oldest', maxBytes: 64_000_000, bytes: 0, records: 0, spooled: 0, replayed: 0, droppedWhenFull: 0, corruptRecords: 0 };
  const adapter = (id: string, transport: string) => ({
    id, transport, state: 'running', capabilities: ['hr', 'rr'], version: '0.1.0', devices: [] as object[], omittedDevices: 0, counters: {},
    readings: { accepted: 0, rejected: {}, droppedRr: 0 },
    outbox: { connected: true, published: 0, acknowledged: 0, inflight: 0, queued: 0, spool },
  });
  const ble = adapter('ble', 'ble');
  ble.devices = [
    { sensorId: 'ble-a0:9e:1a:12:34:56', state: 'streaming', rssi: -67, batteryPct: 80, readings: 1200, rejected: 0, lastSeenAt: Date.now() },
    { sensorId: 'ble-a0:9e:1a:12:34:57', state: 'reconnecting', readings: 3, rejected: 0 },
  ];
  ble.readings = { accepted: 1203, rejected: { 'bad-length': 2 }, droppedRr: 0 };
  ble.outbox = { connected: false, published: 1203, acknowledged: 1055, inflight: 0, queued: 148, spool: { ...spool, bytes: 52_300, records: 148, spooled: 148 } };
  return { bridgeId, version: '0.1.0', t: Date.now(), state, startedAt: Date.now() - 60_000, hub: { url: 'mqtt://hub:1883/' }, adapters: [ble, adapter('ant', 'ant+')] };
}

const profile = (name: string, number: number) => ({ name, number, position: 'test', group: 'T', hrMax: 190, hrRest: 50, sex: 'female', massKg: 60, birthYear: 2000, zones: null, thresholds: null });

describe('dashboard in a real browser', () => {
  let t: UiHub;
  let simulator: RunningSimulator;
  let device: MqttClient;
  let deviceLogin: { username: string; password: string };
  let gatewayLogin: { username: string; password: string };
  let staff: BrowserContext;
  let wallContext: BrowserContext;
  let page: Page;
  let wall: Page;
  const profiles: string[] = [];
  let ada: Athlete;
  let bea: Athlete;
  const squad: Athlete[] = [];
  /** Uncaught errors in the pages: none are expected. */
  const pageErrors: string[] = [];

  async function launch(): Promise<BrowserContext> {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-chromium-'));
    profiles.push(dir);
    return chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 } });
  }

  async function connectDevice(login = deviceLogin, clientId = 'ui-test-device'): Promise<MqttClient> {
    const client = mqtt.connect(t.mqttUrl, { ...login, clientId, reconnectPeriod: 0, connectTimeout: 10_000 });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    return client;
  }

  const publish = (sensor: string, stream: string, body: Record<string, unknown>) =>
    device.publishAsync(`touchline/v1/sensors/${sensor}/${stream}`, JSON.stringify({ t: Date.now(), ...body }), { qos: 1 });

  /** The trimmed text of the first match, or null while there is none. */
  const textOf = async (p: Page, selector: string) => {
    const match = p.locator(selector).first();
    return (await match.count()) === 0 ? null : ((await match.textContent()) ?? '').trim();
  };
  const poll = <T>(read: () => Promise<T>, timeout = WAIT) => expect.poll(read, { timeout, interval: 100 });
  const waitForText = (p: Page, selector: string, text: string) => poll(() => textOf(p, selector)).toBe(text);
  const isNumber = (text: string | null) => text !== null && /^\d+$/.test(text);

  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startUiHub();

    // The simulated squad, paired as the demo does, except one athlete's strap (paired in a test).
    const members = demoSquad(SQUAD, 1);
    for (const member of members) {
      const { body } = await t.api<Athlete>('POST', '/api/athletes', {
        name: member.name, number: member.number, position: member.position, group: member.position, hrMax: member.hrMax, hrRest: member.hrRest,
        sex: member.sex, massKg: member.massKg, birthYear: member.birthYear, zones: null, thresholds: null,
      });
      squad.push(body);
      if (member !== members[SQUAD - 1]) expect((await t.api('PUT', `/api/sensors/${member.hrSensorId}/pairing`, { athleteId: body.id })).status).toBe(200);
      expect((await t.api('PUT', `/api/sensors/${member.podSensorId}/pairing`, { athleteId: body.id })).status).toBe(200);
    }
    ada = (await t.api<Athlete>('POST', '/api/athletes', profile('Ada Test', 91))).body;
    bea = (await t.api<Athlete>('POST', '/api/athletes', profile('Bea Test', 92))).body;
    await t.api('PUT', '/api/sensors/strap-ada/pairing', { athleteId: ada.id });
    await t.api('PUT', '/api/sensors/strap-bea/pairing', { athleteId: bea.id });

    const gateway = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['*'], label: 'simulator' })).body;
    gatewayLogin = gateway;
    simulator = await startSimulator({ mqttUrl: t.mqttUrl, username: gateway.username, password: gateway.password, athletes: SQUAD, seed: 1, faults: { dropoutRate: 0, malformedRate: 0 }, connectTimeoutMs: 30_000 });
    deviceLogin = (await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-ada', 'strap-bea'], label: 'test device' })).body;
    device = await connectDevice();

    staff = await launch();
    wallContext = await launch();
    page = staff.pages()[0] ?? (await staff.newPage());
    wall = wallContext.pages()[0] ?? (await wallContext.newPage());
    for (const p of [page, wall]) {
      p.on('pageerror', (error) => pageErrors.push(error.message));
      p.on('console', (message) => {
        // Refused requests and sockets are expected (signed out, hub restarting); anything else is a bug.
        const expected = /^Failed to load resource|^WebSocket connection to .* failed/.test(message.text());
        if (message.type() === 'error' && !expected) pageErrors.push(message.text());
      });
    }
  }, 240_000);

  // A failing step leaves a picture of both screens, which says more than a timeout.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const name = `failed-${task.name.replace(/\W+/g, '-').slice(0, 60)}`;
      await page?.screenshot({ path: join(SHOTS, `${name}.png`) }).catch(() => undefined);
      await wall?.screenshot({ path: join(SHOTS, `${name}-wall.png`) }).catch(() => undefined);
      if (pageErrors.length) console.error('errors in the pages:', pageErrors);
    });
  });

  afterAll(async () => {
    await staff?.close();
    await wallContext?.close();
    await simulator?.stop();
    await device?.endAsync(true);
    await t?.stop(true);
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses a signed-out visitor, then signs staff in', async () => {
    await wall.goto(`${t.url}/`);
    await wall.waitForURL(/\/login/, { timeout: WAIT });
    expect(await wall.evaluate(async () => (await fetch('/api/live')).status)).toBe(401);

    await page.goto(`${t.url}/session`);
    await page.waitForURL(/\/login\?next=%2Fsession/, { timeout: WAIT });
    await page.fill('input[name=name]', ADMIN.name);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await page.waitForSelector('p.error', { timeout: WAIT });
    expect(page.url()).toContain('/login');
    await shot(page, 'login');

    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.url}/session`, { timeout: WAIT });
    await page.goto(`${t.url}/`);
    await page.waitForSelector('[data-testid=connection][data-state=live]', { timeout: WAIT });
  }, 60_000);

  it('fills the live grid from the simulator and updates one tile in place', async () => {
    await poll(() => page.locator('[data-testid=tile]').count()).toBe(SQUAD + 2);
    // Every simulated athlete whose strap is paired shows a heart rate.
    const paired = squad.slice(0, SQUAD - 1).map((a) => a.id);
    await poll(async () => (await Promise.all(paired.map((id) => textOf(page, `[data-athlete="${id}"] [data-testid=bpm]`)))).every(isNumber)).toBe(true);

    const bpm = `[data-athlete="${ada.id}"] [data-testid=bpm]`;
    await publish('strap-ada', 'hr', { bpm: 123 });
    await waitForText(page, bpm, '123');
    // Mark the tile's node: if the grid re-rendered instead of updating it, the mark would be gone.
    await page.locator(bpm).evaluate((element) => element.setAttribute('data-mark', 'kept'));
    await publish('strap-ada', 'hr', { bpm: 131 });
    await waitForText(page, bpm, '131');
    expect(await page.getAttribute(bpm, 'data-mark')).toBe('kept');
    // 131 / 190 HRmax = 68.9 % → 69 %, zone 2 of the default 50/60/70/80/90 bounds.
    const tile = await page.textContent(`[data-testid=tile][data-athlete="${ada.id}"]`);
    expect(tile).toContain('69%');
    expect(tile).toContain('Z2');
    await shot(page, 'live-grid');
    // The indoor theme, and a tablet held upright.
    await page.getByRole('button', { name: 'Dark', exact: true }).click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.setViewportSize({ width: 768, height: 1024 });
    await shot(page, 'live-grid-dark-tablet');
    await page.getByRole('button', { name: 'Sunlight', exact: true }).click();
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 60_000);

  it('holds the updates of tiles out of sight and shows the newest as they scroll into view', async () => {
    // A phone held upright, in a tab of its own (the other tests keep their tablet-sized page):
    // one column, and Bea's tile (the last by number) far below the fold.
    const phone = await staff.newPage();
    try {
      await phone.setViewportSize({ width: 400, height: 600 });
      await phone.goto(`${t.url}/`);
      const beaTile = `[data-testid=tile][data-athlete="${bea.id}"]`;
      const beaBpm = `${beaTile} [data-testid=bpm]`;
      await phone.waitForSelector(beaTile, { state: 'attached', timeout: WAIT });
      // An observer created now reports after the page's own (created first) in the same rendering
      // step, so once it calls Bea's tile out of sight, the page has too.
      await phone.evaluate(`new Promise((resolve) => {
        const observer = new IntersectionObserver((entries) => {
          if (!entries[0].isIntersecting) { observer.disconnect(); resolve(); }
        });
        observer.observe(document.querySelector('${beaTile}').parentElement);
      })`);
      const before = await textOf(phone, beaBpm);
      await publish('strap-bea', 'hr', { bpm: 77 });
      // The hub has the reading, and the page its frame a moment later; the tile out of sight keeps what it showed.
      await poll(async () => (await t.api<{ athletes: { id: string; hr: { bpm: number | null } }[] }>('GET', '/api/live')).body.athletes.find((a) => a.id === bea.id)?.hr.bpm).toBe(77);
      await phone.waitForTimeout(1_000);
      expect(await textOf(phone, beaBpm)).toBe(before);
      await phone.locator(beaBpm).scrollIntoViewIfNeeded();
      await waitForText(phone, beaBpm, '77');
    } finally {
      await phone.close();
    }
  }, 30_000);

  it('shows a silent sensor as stale, then lost', async () => {
    // Ada's device sends nothing more; the hub calls her stale after 2 s and lost after 5 s.
    await page.waitForSelector(`[data-testid=tile][data-athlete="${ada.id}"] [data-signal=stale]`, { timeout: WAIT });
    await page.waitForSelector(`[data-testid=tile][data-athlete="${ada.id}"] [data-signal=lost]`, { timeout: WAIT });
    expect(await page.getAttribute(`[data-testid=tile][data-athlete="${ada.id}"]`, 'class')).toContain('signal-lost');
    expect(await page.textContent(`[data-athlete="${ada.id}"] [data-testid=bpm]`)).toBe('–');
  }, 30_000);

  it('highlights an alert on the grid, and staff acknowledge it', async () => {
    // The hub's default rule: a paired sensor's battery under 15 %.
    await publish('strap-bea', 'hr', { bpm: 100 });
    await publish('strap-bea', 'battery', { pct: 5 });
    await page.waitForSelector(`[data-testid=tile][data-athlete="${bea.id}"].alerted`, { timeout: WAIT });
    const raised = (await t.api<Alert[]>('GET', '/api/alerts?active=true')).body.find((a) => a.athleteId === bea.id && a.kind === 'battery-low');
    expect(raised).toBeDefined();

    await page.click('nav a[href="/alerts"]');
    const item = page.locator(`[data-testid=alert][data-alert="${raised!.id}"]`);
    await item.waitFor({ timeout: WAIT });
    await shot(page, 'alerts');
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await poll(() => textOf(page, `[data-alert="${raised!.id}"]`)).toContain(`✓ ${ADMIN.name}`);

    const after = (await t.api<Alert[]>('GET', '/api/alerts')).body.find((a) => a.id === raised!.id)!;
    expect(after.acknowledgedAt).not.toBeNull();
    expect(after.acknowledgedBy).toBe(ADMIN.name);
    expect((await t.api<Alert[]>('GET', '/api/alerts?active=true')).body.some((a) => a.id === raised!.id)).toBe(false);
    await page.goto(`${t.url}/`);
    await page.waitForSelector(`[data-testid=tile][data-athlete="${bea.id}"]:not(.alerted)`, { timeout: WAIT });
  }, 60_000);

  it('starts a session, marks a drill and a moment, stops it and takes session RPE', async () => {
    await page.click('nav a[href="/session"]');
    await page.waitForSelector('[data-testid=start]', { timeout: WAIT });
    const name = await page.inputValue('form.start input');
    await page.click('[data-testid=start]');
    await page.waitForSelector('[data-testid=session-running]', { timeout: WAIT });
    const current = async () => (await t.api<{ session: Session | null }>('GET', '/api/sessions/current')).body.session;
    expect((await current())?.name).toBe(name);

    await page.getByRole('button', { name: 'Rondo', exact: true }).click();
    await poll(() => textOf(page, '[data-testid=current-drill]')).toContain('Rondo');
    expect((await current())?.currentDrill?.name).toBe('Rondo');

    await page.getByRole('button', { name: 'Goal', exact: true }).click();
    await poll(() => textOf(page, '[data-testid=timeline]')).toContain('Goal');
    const running = (await current())!;
    expect(running.markers.map((m) => m.label)).toEqual(['Goal']);
    // Every screen hears of the session: the wall's header and the staff header pill.
    await page.waitForSelector('[data-testid=session-pill]', { timeout: WAIT });
    await shot(page, 'session');

    await page.click('[data-testid=stop]');
    await page.click('[data-testid=stop]');
    await page.waitForSelector('[data-testid=rpe]', { timeout: WAIT });
    const stopped = (await t.api<Session>('GET', `/api/sessions/${running.id}`)).body;
    expect(stopped.endedAt).not.toBeNull();

    await page.locator(`[data-testid=rpe-row][data-athlete="${bea.id}"]`).getByRole('button', { name: '7', exact: true }).click();
    await poll(() => textOf(page, `[data-testid=rpe-row][data-athlete="${bea.id}"] .load`)).toContain('AU');
    const rpe = (await t.api<Session>('GET', `/api/sessions/${running.id}`)).body.rpe.find((r) => r.athleteId === bea.id)!;
    expect(rpe.rpe).toBe(7);
    // Foster's sRPE: rating × minutes, the minutes defaulting to the session's length.
    expect(rpe.durationMin).toBeCloseTo((stopped.endedAt! - (await t.api<{ startedAt: number }>('GET', `/api/sessions/${running.id}`)).body.startedAt) / 60_000, 6);
    expect(await page.textContent(`[data-testid=rpe-row][data-athlete="${bea.id}"] .load`)).toBe(`${Math.round(7 * rpe.durationMin)} AU`);

    await page.goto(`${t.url}/history/${running.id}`);
    await page.waitForSelector('[data-testid=report-athletes]', { timeout: WAIT });
    await shot(page, 'session-report');
  }, 90_000);

  it('pairs a sensor found by discovery to its athlete', async () => {
    const member = demoSquad(SQUAD, 1)[SQUAD - 1]!;
    const athlete = squad[SQUAD - 1]!;
    await page.goto(`${t.url}/settings/sensors`);
    const card = page.locator(`[data-testid=unpaired] [data-sensor="${member.hrSensorId}"]`);
    await card.waitFor({ timeout: WAIT });
    await card.locator('select').selectOption(athlete.id);
    await shot(page, 'sensors');
    await card.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.waitForSelector(`[data-testid=paired] [data-sensor="${member.hrSensorId}"]`, { timeout: WAIT });
    const sensors = (await t.api<{ id: string; athleteId: string | null }[]>('GET', '/api/sensors')).body;
    expect(sensors.find((s) => s.id === member.hrSensorId)?.athleteId).toBe(athlete.id);

    await page.goto(`${t.url}/`);
    await poll(async () => isNumber(await textOf(page, `[data-athlete="${athlete.id}"] [data-testid=bpm]`))).toBe(true);
  }, 60_000);

  it('shows an athlete with live charts', async () => {
    const athlete = squad[0]!;
    await page.goto(`${t.url}/athletes/${athlete.id}`);
    await page.waitForSelector('.uplot', { timeout: WAIT });
    await poll(async () => isNumber(await textOf(page, '[data-testid=detail-bpm]'))).toBe(true);
    await page.waitForTimeout(1500);
    await shot(page, 'athlete');
  }, 30_000);

  it('opens the wall screen with its token; it can change nothing', async () => {
    await page.goto(`${t.url}/settings/wall-screens`);
    await page.fill('input[maxlength="60"]', 'Gym wall');
    await page.getByRole('button', { name: 'Create link' }).click();
    const link = page.locator('[data-testid=wall-url]');
    await link.waitFor({ timeout: WAIT });
    expect(await page.locator('[data-testid=new-display-token] svg').count()).toBe(1);
    await shot(page, 'wall-screens');
    const url = (await link.getAttribute('href'))!;
    const token = new URL(url).searchParams.get('token')!;

    await wall.setViewportSize({ width: 1920, height: 1080 });
    await wall.goto(url);
    await poll(() => wall.locator('[data-testid=wall-tile]').count()).toBe(SQUAD + 2);
    expect(await wall.locator('button, input, select, textarea, a[href], [contenteditable]').count()).toBe(0);
    // The token itself is read-only: the hub refuses a change made with it.
    const attempt = await wall.evaluate(async (tok) => (await fetch('/api/sessions', { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: '{"name":"x"}' })).status, token);
    expect(attempt).toBe(403);

    await publish('strap-ada', 'hr', { bpm: 150 });
    await waitForText(wall, `[data-testid=wall-tile][data-athlete="${ada.id}"] .bpm`, '150');
    await shot(wall, 'wall');

    const refused = await wallContext.newPage();
    await refused.goto(`${t.url}/wall?token=not-a-token`);
    await refused.waitForSelector('[data-testid=wall-refused]', { timeout: WAIT });
    await refused.close();
  }, 60_000);

  it('shows each firmware bridge, its adapters, spool backlog and devices on the health page', async () => {
    const bridge = await connectDevice(gatewayLogin, 'ui-test-bridge');
    const topic = 'touchline/v1/bridges/pitch-1/status';
    try {
      await bridge.publishAsync(topic, JSON.stringify(bridgeStatus('pitch-1', 'running')), { qos: 1, retain: true });
      const listed = (await t.api<{ bridges: { bridgeId: string; online: boolean }[] }>('GET', '/api/bridges')).body.bridges;
      expect(listed.map((b) => [b.bridgeId, b.online])).toEqual([['pitch-1', true]]);

      await page.goto(`${t.url}/health`);
      const card = page.locator('[data-testid=bridge][data-bridge="pitch-1"]');
      await card.waitFor({ timeout: WAIT });
      expect(await card.locator('[data-testid=bridge-state]').getAttribute('data-online')).toBe('true');
      expect(await card.locator('[data-testid=bridge-adapter]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-adapter')))).toEqual(['ble', 'ant']);
      const ble = card.locator('[data-testid=bridge-adapter][data-adapter=ble]');
      // One of the BLE adapter's two devices streams; 148 messages, 52 300 B of a 64 MB spool wait for the hub.
      expect((await ble.locator('[data-testid=adapter-devices]').textContent())?.trim()).toBe('1 / 2');
      expect((await ble.locator('[data-testid=spool-backlog]').textContent())?.trim()).toBe('148 msgs · 52 kB of 64 MB');
      expect(await ble.textContent()).toContain('Disconnected');
      const strap = card.locator('[data-testid=bridge-device][data-sensor="ble-a0:9e:1a:12:34:56"]');
      expect(await strap.textContent()).toContain('-67 dBm');
      expect(await strap.textContent()).toContain('80 %');
      await card.locator('summary').click();
      await shot(page, 'health-bridges');

      // The bridge's last will: the page turns it offline by itself.
      await bridge.publishAsync(topic, JSON.stringify(bridgeStatus('pitch-1', 'offline')), { qos: 1, retain: true });
      await poll(() => card.locator('[data-testid=bridge-state]').getAttribute('data-online')).toBe('false');
      expect((await card.locator('[data-testid=bridge-state]').textContent())?.trim()).toBe('Offline');
    } finally {
      // Clear the retained status so a later step's hub restart starts without it.
      await bridge.publishAsync(topic, '', { qos: 1, retain: true }).catch(() => undefined);
      await bridge.endAsync(true);
    }
  }, 60_000);

  it('recovers by itself after the hub restarts', async () => {
    await page.goto(`${t.url}/health`);
    await page.waitForSelector('[data-testid=health-status]', { timeout: WAIT });
    await page.waitForTimeout(3000);
    await shot(page, 'health');
    await page.goto(`${t.url}/`);
    await page.waitForSelector('[data-testid=connection][data-state=live]', { timeout: WAIT });

    const { dataDir, httpPort, mqttPort } = t;
    await device.endAsync(true);
    await t.stop();
    await page.waitForSelector('[data-testid=connection][data-state=offline]', { timeout: WAIT });
    await wall.waitForSelector('[data-testid=connection][data-state=offline]', { timeout: WAIT });

    t = await startUiHub({ dataDir, httpPort, mqttPort });
    device = await connectDevice();
    await page.waitForSelector('[data-testid=connection][data-state=live]', { timeout: WAIT });
    await wall.waitForSelector('[data-testid=connection][data-state=live]', { timeout: WAIT });
    await publish('strap-ada', 'hr', { bpm: 111 });
    await waitForText(page, `[data-athlete="${ada.id}"] [data-testid=bpm]`, '111');
    await waitForText(wall, `[data-testid=wall-tile][data-athlete="${ada.id}"] .bpm`, '111');
  }, 90_000);

  it('raised no script errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
