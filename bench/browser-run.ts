/**
 * One run of the browser benchmark: a real hub (child process) and one screen (the team live grid
 * or the wall) in headless Chromium, first with the squad registered but silent (the floor), then
 * with 40 simulated athletes publishing over MQTT. Every second the screen is sampled (busy time,
 * frames, lag entries); the JS heap is read after a forced GC once the screen has warmed up under
 * load and again at the end.
 */
import { startSimulator, type DemoAthlete, type RunningSimulator } from '@touchline/firmware-bridge';
import { FRAME_WINDOW_S, MeasuredScreen, type LagEntry, type ScreenSample } from './browser-page.ts';
import { lagFigures, phaseFigures, screenFigures, type ScreenFigures } from './browser-results.ts';
import { startHubTarget, type HubTarget } from './hub-target.ts';
import { sleep, waitFor } from './processes.ts';

export interface BrowserRunPlan {
  repoRoot: string;
  workDir: string;
  /** The environment the hub inherits. */
  baseEnv: NodeJS.ProcessEnv;
  squad: readonly DemoAthlete[];
  seed: number;
  screen: ScreenName;
  floorMs: number;
  warmupMs: number;
  loadMs: number;
  say: (text: string) => void;
}

export interface BrowserRunResult {
  figures: ScreenFigures & { heapSeriesMb: [number, number][] };
  simulator: { published: number; acknowledged: number; dropped: number };
  hubFramesSkipped: number | null;
}

export const SCREEN_NAMES = ['grid', 'wall'] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];

const SAMPLE_MS = 1000;
const HEAP_EVERY_S = 60;

interface Screen {
  screen: MeasuredScreen;
  floor: ScreenSample[];
  load: ScreenSample[];
  lag: LagEntry[];
  heapStart: number;
  heapEnd: number;
  /** Seconds into the load phase and the JS heap after GC then, once a minute: a leak grows in a line, a warm-up levels off. */
  heapSeries: [number, number][];
}

async function openGrid(hub: HubTarget, baseUrl: string, athletes: number): Promise<MeasuredScreen> {
  const password = `bench-${crypto.randomUUID()}`;
  await hub.api('POST', '/api/users', { name: 'bench-staff', role: 'staff', password });
  // A tablet of the staff at the pitch side.
  const screen = await MeasuredScreen.launch('live grid (staff tablet, 1280×860)', { width: 1280, height: 860 });
  const login = await screen.page.request.post(`${baseUrl}/api/auth/login`, { data: { name: 'bench-staff', password } });
  if (!login.ok()) throw new Error(`staff sign-in: ${login.status()}`);
  await screen.page.goto(`${baseUrl}/?bench`);
  await waitFor('the grid to show every athlete', async () => ((await screen.page.locator('[data-testid=tile]').count()) === athletes ? true : undefined));
  return screen;
}

async function openWall(hub: HubTarget, baseUrl: string, athletes: number): Promise<MeasuredScreen> {
  const display = await hub.api<{ token: string }>('POST', '/api/display-tokens', { label: 'bench wall' });
  const screen = await MeasuredScreen.launch('wall screen (1920×1080)', { width: 1920, height: 1080 });
  await screen.page.goto(`${baseUrl}/wall?token=${encodeURIComponent(display.token)}&bench`);
  await waitFor('the wall to show every athlete', async () => ((await screen.page.locator('[data-testid=wall-tile]').count()) === athletes ? true : undefined));
  return screen;
}

/** Samples the screen once a second for `ms`; lag entries are kept only when `keepLag`. */
async function measure(s: Screen, phase: 'floor' | 'load', ms: number, keepLag: boolean): Promise<void> {
  await s.screen.startInterval();
  await s.screen.drainLag();
  const end = Date.now() + ms;
  let next = Date.now() + SAMPLE_MS;
  for (let second = 1; Date.now() < end; second++) {
    await sleep(Math.max(0, next - Date.now()));
    next += SAMPLE_MS;
    // Alternate windows: frames counted in odd ones, busy time read in even ones (browser-page.ts).
    const countFrames = Math.floor(second / FRAME_WINDOW_S) % 2 === 1;
    s[phase].push(await s.screen.sample(countFrames));
    const entries = await s.screen.drainLag();
    if (keepLag) s.lag.push(...entries);
    if (phase === 'load' && second % HEAP_EVERY_S === 0) s.heapSeries.push([second, await s.screen.heapAfterGc()]);
  }
}

export async function runBrowserBench(plan: BrowserRunPlan): Promise<BrowserRunResult> {
  const athletes = plan.squad.length;
  const hub = await startHubTarget({ repoRoot: plan.repoRoot, workDir: plan.workDir, baseEnv: plan.baseEnv, squad: plan.squad });
  let s: Screen | undefined;
  let simulator: RunningSimulator | undefined;
  try {
    await hub.prepare(athletes);
    await hub.api('POST', '/api/sessions', { name: 'Browser benchmark', kind: 'training' });
    const baseUrl = hub.baseUrl;
    plan.say(`hub at ${baseUrl}; opening the ${plan.screen}`);
    const open = { grid: openGrid, wall: openWall }[plan.screen];
    s = { screen: await open(hub, baseUrl, athletes), floor: [], load: [], lag: [], heapStart: 0, heapEnd: 0, heapSeries: [] };
    const screen = s;

    plan.say(`floor: ${athletes} athletes registered, none sending, for ${plan.floorMs / 1000} s`);
    await measure(screen, 'floor', plan.floorMs, false);

    plan.say(`starting ${athletes} simulated athletes over MQTT; warming up for ${plan.warmupMs / 1000} s`);
    simulator = await startSimulator({ mqttUrl: hub.mqttUrl, username: hub.username, password: hub.password, athletes, seed: plan.seed, connectTimeoutMs: 30_000 });
    await sleep(plan.warmupMs);
    screen.heapStart = await screen.screen.heapAfterGc();

    plan.say(`measuring for ${plan.loadMs / 60_000} min`);
    const progress = setInterval(() => {
      const recent = screen.load.slice(-30).filter((x) => !x.frameCounter);
      const cpu = recent.reduce((sum, x) => sum + x.cpuFraction, 0) / Math.max(1, recent.length);
      plan.say(`${screen.screen.name.split(' (')[0]}: main-thread CPU ${(cpu * 100).toFixed(1)} %, ${screen.lag.length} updates`);
    }, 60_000);
    try {
      await measure(screen, 'load', plan.loadMs, true);
    } finally {
      clearInterval(progress);
    }
    screen.heapEnd = await screen.screen.heapAfterGc();
    const stats = simulator.stats();
    const health = await hub.api<{ live?: { framesSkipped?: number } }>('GET', '/api/health').catch(() => null);

    return {
      figures: {
        ...screenFigures(screen.screen.name, phaseFigures(screen.floor), phaseFigures(screen.load), screen.heapStart, screen.heapEnd, lagFigures(screen.lag)),
        heapSeriesMb: screen.heapSeries.map(([second, bytes]) => [second, Math.round(bytes / 1e3) / 1e3] as [number, number]),
      },
      simulator: { published: stats.published, acknowledged: stats.acknowledged, dropped: stats.dropped.offline + stats.dropped.backlog },
      hubFramesSkipped: health?.live?.framesSkipped ?? null,
    };
  } finally {
    await simulator?.stop();
    await s?.screen.close();
    await hub.stop();
  }
}

