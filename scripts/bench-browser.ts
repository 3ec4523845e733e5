/**
 * The browser benchmark: the live grid and the wall screen, each in a run of its own, in headless
 * Chromium against a real hub fed by 40 simulated athletes over MQTT, side by side with the same
 * screen on the same hub while no athlete sends (the floor). Reports main-thread busy time, dropped frames, JS heap growth,
 * end-to-end lag (reading to paint) and the bundle size. Method and figures: docs/benchmarks.md
 * ("Browser"). Results: artifacts/bench/browser.json.
 *
 *   node scripts/bench-browser.ts [--quick] [--minutes N] [--screen grid|wall]
 *
 * --quick shortens every window to check the harness end to end; its figures are not for the docs.
 * Each screen is measured in a run of its own, one after the other (--screen picks one).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { demoSquad } from '@touchline/firmware-bridge';
import { runBrowserBench, SCREEN_NAMES, type ScreenName } from '../bench/browser-run.ts';
import { bundleFigures, checkTargets, renderTable, renderTargets, TARGETS } from '../bench/browser-results.ts';
import { ensureUiBuild } from '../ui/test/ui-build.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, minutes: { type: 'string' }, screen: { type: 'string' } }, strict: true });
const quick = flags.quick ?? false;
const minutes = flags.minutes === undefined ? (quick ? 0.5 : 10) : Number(flags.minutes);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${String(flags.minutes)}`);
const isScreenName = (name: string | undefined): name is ScreenName => (SCREEN_NAMES as readonly (string | undefined)[]).includes(name);
if (flags.screen !== undefined && !isScreenName(flags.screen)) throw new Error(`--screen must be one of ${SCREEN_NAMES.join(', ')}, got ${flags.screen}`);
const screens: readonly ScreenName[] = isScreenName(flags.screen) ? [flags.screen] : SCREEN_NAMES;

const ATHLETES = 40;
const SEED = 7;
const TIMING = { floorMs: quick ? 10_000 : 60_000, warmupMs: quick ? 10_000 : 30_000, loadMs: Math.round(minutes * 60_000) };

const started = Date.now();
const say = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);

function chromiumVersion(): string {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  say('building the UI if its sources changed');
  ensureUiBuild();
  const bundle = bundleFigures(join(repoRoot, 'ui', 'build'));
  const workDir = mkdtempSync(join(tmpdir(), 'touchline-bench-browser-'));
  const loadBefore = loadavg();
  try {
    // One run per screen, each with its own hub and simulated squad (same seed): at a club the
    // tablet and the wall are two devices, and two browsers on this machine's two cores would each
    // be measured with the other's rendering competing for the same CPUs.
    const runs = [];
    for (const name of screens) {
      const dir = join(workDir, name);
      mkdirSync(dir);
      runs.push({ screen: name, ...(await runBrowserBench({ repoRoot, workDir: dir, baseEnv: process.env, squad: demoSquad(ATHLETES, SEED), seed: SEED, screen: name, ...TIMING, say })) });
    }
    const measured = runs.map((run) => run.figures);
    const targets = checkTargets(measured);
    const table = renderTable(measured, bundle);
    console.log(`\n${table}\n`);
    for (const run of runs) console.log(`${run.screen} run's simulator: ${run.simulator.published} messages published, ${run.simulator.acknowledged} acknowledged, ${run.simulator.dropped} dropped; hub live frames skipped: ${run.hubFramesSkipped ?? '–'}`);
    console.log(`\n${renderTargets(targets)}\n`);

    const out = join(repoRoot, 'artifacts', 'bench', 'browser.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          quick,
          at: new Date(started).toISOString(),
          athletes: ATHLETES,
          seed: SEED,
          screensOpened: screens,
          timing: TIMING,
          machine: { cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), kernel: release(), node: process.version, chromium: chromiumVersion(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg() },
          targets: { definitions: TARGETS, results: targets },
          screens: measured,
          runs: runs.map((run) => ({ screen: run.screen, simulator: run.simulator, hubFramesSkipped: run.hubFramesSkipped })),
          bundle,
          table,
        },
        null,
        2,
      )}\n`,
    );
    say(`results in ${out}${quick ? ' (quick run: not for the docs)' : ''}`);
    process.exitCode = targets.every((t) => t.pass) ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
