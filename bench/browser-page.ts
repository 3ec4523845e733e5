/**
 * One screen under measurement in the browser benchmark: Debian's Chromium (playwright-core, the
 * flags of the UI tests) in its own browser process, so the two screens of a run never share a
 * renderer main thread, and a Chrome DevTools Protocol session on its page that reads:
 *
 * - busy time: Performance.getMetrics `ThreadTime` (CPU seconds of the renderer main thread,
 *   cumulative) and `TaskDuration` (wall seconds it spent in tasks, which also counts the time a
 *   task waited for a CPU another process held), differenced per sampling interval over the wall
 *   time of that interval; `ScriptDuration`, `RecalcStyleDuration` and `LayoutDuration` split it;
 * - frames: a requestAnimationFrame loop installed before the page's own scripts counts the frames
 *   the page produced and the frame slots it missed (see FRAME_INTERVAL_MS);
 * - JS heap: `JSHeapUsedSize` right after HeapProfiler.collectGarbage, so only live objects count;
 * - lag: the entries of the page's own lag probe (ui/src/lib/lag-probe.ts, on with `?bench`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

/** The UI tests' flags (ui/test/dashboard.test.ts). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Headless Chromium has no display and so no vsync: its compositor ticks a synthetic 60 Hz
 * begin-frame source. A frame slot "dropped" is a tick at which the page produced no frame because
 * its main thread was still busy: an interval between two rAF callbacks of n slots counts n − 1.
 * A rAF loop makes the page produce a frame at every tick, which costs main-thread time of its own,
 * so the counter runs only in alternate windows (FRAME_WINDOW_S) and busy time is read only in the
 * others: neither figure pays for the other's measurement.
 */
export const FRAME_INTERVAL_MS = 1000 / 60;
export const FRAME_WINDOW_S = 5;

interface FrameCounter {
  running: boolean;
  frames: number;
  missed: number;
  longestGapMs: number;
  start(): void;
}
/** The page's global object, as far as the benchmark reaches into it (the bench is compiled without DOM types). */
interface BenchGlobal {
  __touchlineFrames: FrameCounter;
  __touchlineLag?: number[];
  requestAnimationFrame(callback: (now: number) => void): number;
}

/** Installed before any page script; counts frames and missed slots while running. */
function installFrameCounter(intervalMs: number): void {
  const page = globalThis as unknown as BenchGlobal;
  let last = 0;
  const tick = (now: number) => {
    if (!counter.running) {
      last = 0;
      return;
    }
    if (last > 0) {
      const gap = now - last;
      counter.frames++;
      counter.missed += Math.max(0, Math.round(gap / intervalMs) - 1);
      counter.longestGapMs = Math.max(counter.longestGapMs, gap);
    }
    last = now;
    page.requestAnimationFrame(tick);
  };
  const counter: FrameCounter = {
    running: false,
    frames: 0,
    missed: 0,
    longestGapMs: 0,
    start() {
      if (counter.running) return;
      counter.running = true;
      page.requestAnimationFrame(tick);
    },
  };
  page.__touchlineFrames = counter;
}

export interface ScreenSample {
  /** Wall time the interval ended, Unix ms, and its length. */
  at: number;
  intervalMs: number;
  /** Main-thread CPU time over wall time. */
  cpuFraction: number;
  /** Main-thread time in tasks over wall time. */
  busyFraction: number;
  scriptFraction: number;
  styleLayoutFraction: number;
  frames: number;
  missedFrames: number;
  longestFrameGapMs: number;
  /** Whether the frame counter ran in this interval (then its busy time is not the page's own). */
  frameCounter: boolean;
}

export interface LagEntry {
  t: number;
  sentAt: number;
  receivedAt: number;
  paintedAt: number;
}

export class MeasuredScreen {
  readonly name: string;
  readonly page: Page;
  readonly #context: BrowserContext;
  readonly #cdp: CDPSession;
  readonly #profileDir: string;
  #last: { at: number; m: Record<string, number> } | null = null;
  #counting = false;

  private constructor(name: string, context: BrowserContext, page: Page, cdp: CDPSession, profileDir: string) {
    this.name = name;
    this.#context = context;
    this.page = page;
    this.#cdp = cdp;
    this.#profileDir = profileDir;
  }

  static async launch(name: string, viewport: { width: number; height: number }): Promise<MeasuredScreen> {
    const profileDir = mkdtempSync(join(tmpdir(), 'touchline-bench-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.addInitScript(installFrameCounter, FRAME_INTERVAL_MS);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      return new MeasuredScreen(name, context, page, cdp, profileDir);
    } catch (err) {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
      throw err;
    }
  }

  async #metrics(): Promise<Record<string, number>> {
    const { metrics } = await this.#cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  }

  /** Starts a measuring interval, with the frame counter off, and takes the busy-time origin. */
  async startInterval(): Promise<void> {
    await this.page.evaluate(() => {
      const f = (globalThis as unknown as BenchGlobal).__touchlineFrames;
      f.running = false;
    });
    const m = await this.#metrics();
    this.#counting = false;
    this.#last = { at: Date.now(), m };
  }

  /**
   * Ends the current interval: busy fractions and frame counts since the last call. The next
   * interval runs with the frame counter on when `countFrames`.
   */
  async sample(countFrames: boolean): Promise<ScreenSample> {
    if (!this.#last) throw new Error('startInterval() first');
    const frames = await this.page.evaluate((next) => {
      const f = (globalThis as unknown as BenchGlobal).__touchlineFrames;
      const read = { frames: f.frames, missed: f.missed, longestGapMs: f.longestGapMs };
      f.frames = 0;
      f.missed = 0;
      f.longestGapMs = 0;
      if (next) f.start();
      else f.running = false;
      return read;
    }, countFrames);
    const m = await this.#metrics();
    const at = Date.now();
    const intervalMs = at - this.#last.at;
    const before = this.#last.m;
    const share = (...names: string[]) => names.reduce((sum, name) => sum + ((m[name] ?? 0) - (before[name] ?? 0)), 0) * 1000 / intervalMs;
    const sample: ScreenSample = {
      at,
      intervalMs,
      cpuFraction: share('ThreadTime'),
      busyFraction: share('TaskDuration'),
      scriptFraction: share('ScriptDuration'),
      styleLayoutFraction: share('RecalcStyleDuration', 'LayoutDuration'),
      frames: frames.frames,
      missedFrames: frames.missed,
      longestFrameGapMs: frames.longestGapMs,
      frameCounter: this.#counting,
    };
    this.#counting = countFrames;
    this.#last = { at, m };
    return sample;
  }

  /** Takes every lag entry the page recorded since the last call. */
  async drainLag(): Promise<LagEntry[]> {
    const flat = await this.page.evaluate(() => (globalThis as unknown as BenchGlobal).__touchlineLag?.splice(0) ?? []);
    const entries: LagEntry[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) entries.push({ t: flat[i]!, sentAt: flat[i + 1]!, receivedAt: flat[i + 2]!, paintedAt: flat[i + 3]! });
    return entries;
  }

  /** JS heap in use after a full garbage collection, bytes. */
  async heapAfterGc(): Promise<number> {
    // Twice: objects freed by the first collection's finalizers go in the second.
    await this.#cdp.send('HeapProfiler.collectGarbage');
    await this.#cdp.send('HeapProfiler.collectGarbage');
    return (await this.#metrics()).JSHeapUsedSize ?? Number.NaN;
  }

  async close(): Promise<void> {
    await this.#context.close().catch(() => undefined);
    rmSync(this.#profileDir, { recursive: true, force: true });
  }
}
