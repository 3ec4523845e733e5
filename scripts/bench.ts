/**
 * `npm run bench`: the hub against the peer a club would build instead (Mosquitto + Node-RED), in
 * the same run, on the same simulated squad, and the hub's storage against one row per reading.
 * Method and figures: docs/benchmarks.md. Results: artifacts/bench/ingest.json.
 *
 *   node scripts/bench.ts [--quick]
 *
 * --quick shortens every window to check the harness end to end; its figures are not for the docs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoSquad } from '@touchline/firmware-bridge';
import { resolveConfig } from '../hub/src/config/load-config.ts';
import { startHubTarget } from '../bench/hub-target.ts';
import { mosquittoVersion, startPeerTarget } from '../bench/peer-target.ts';
import { findSaturation, LADDER, MAX_P99_MS, MESSAGES_PER_ATHLETE_PER_SECOND, MIN_DELIVERED, runStep, settle, type LoadPoint, type StepResult } from '../bench/ingest-run.ts';
import { readStatus } from '../bench/proc-stats.ts';
import { exportReadings, hubStorage, runNaiveStore } from '../bench/storage.ts';
import { checkTargets, computeRatios, hubStorageFigures, naiveStorageFigures, renderReport, STEP_HEADER, stepLine, storageRatios, type BenchResults } from '../bench/results.ts';
import type { IngestTarget } from '../bench/target.ts';
import { GeneratorPool } from '../bench/load-client.ts';
import { measureRestart } from '../bench/restart.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
const quick = flags.quick ?? false;

const SEED = 7;
const ATHLETES = 40;
const AT40_INDEX = LADDER.findIndex((p) => p.athletes === ATHLETES && p.speedup === 1);
/**
 * The hub compacts its inbox every 30 s (store.blockSeconds), on its maintenance thread: a 30 s
 * window always holds exactly one compaction, so every step pays the hub's whole storage cycle, in
 * its latency and in its disk writes.
 */
const TIMING = quick
  ? { warmupMs: 2000, at40Ms: 8000, rampMs: 5000, drainMs: 2000, refinements: 1 }
  : { warmupMs: 2000, at40Ms: 30_000, rampMs: 30_000, drainMs: 2000, refinements: 2 };
/** The hub's default group-commit interval (config store.commitIntervalMs); the naive store commits in the same rhythm. */
const COMMIT_INTERVAL_MS = resolveConfig({}).store.commitIntervalMs;

const squad = demoSquad(LADDER.reduce((max, p) => Math.max(max, p.athletes), 0), SEED);
const workDir = mkdtempSync(join(tmpdir(), 'touchline-bench-'));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const say = (text: string) => console.log(`[${elapsed()}] ${text}`);
const loadAverageBefore = loadavg();

function stepPlan(point: LoadPoint, durationMs: number) {
  return { ...point, warmupMs: TIMING.warmupMs, durationMs, drainMs: TIMING.drainMs };
}

async function measureTarget(target: IngestTarget, afterAt40?: (step: StepResult) => Promise<void>) {
  const generators = new GeneratorPool(repoRoot, { mqttUrl: target.mqttUrl, username: target.username, password: target.password, seed: SEED });
  try {
    say(`${target.name}: ${ATHLETES} athletes for ${TIMING.at40Ms / 1000} s`);
    console.log(`           ${STEP_HEADER}`);
    const at40 = await runStep(target, generators, stepPlan(LADDER[AT40_INDEX]!, TIMING.at40Ms));
    console.log(`           ${stepLine(target.name, at40)}`);
    await afterAt40?.(at40);
    say(`${target.name}: ramping the offered rate`);
    const saturation = await findSaturation(
      async (point) => {
        await settle(target);
        return runStep(target, generators, stepPlan(point, TIMING.rampMs));
      },
      AT40_INDEX,
      at40,
      TIMING.refinements,
      (step) => console.log(`           ${stepLine(target.name, step)}`),
    );
    return { at40, saturation };
  } finally {
    await generators.close();
  }
}

async function main(): Promise<void> {
  say(`work folder ${workDir}`);
  // The hub.
  const hub = await startHubTarget({ repoRoot, workDir, baseEnv: process.env, squad });
  let hubResults: BenchResults['hub'];
  let hubStorageResult: BenchResults['storage']['hub'];
  const naiveInput = join(workDir, 'readings.ndjson');
  try {
    const idleRssMb = readStatus(hub.processes[0]!.pid).rssBytes / 1024 / 1024;
    const measured = await measureTarget(hub, async (at40) => {
      // Read before the ramp adds its readings, once the last group commit is in: the storage figures are the 40-athlete step's.
      await settle(hub);
      hubStorageResult = hubStorageFigures(hubStorage(hub.databasePath), at40, ATHLETES);
      exportReadings(hub.databasePath, naiveInput);
    });
    say('hub: kill -9 under a publishing device, and the time until it is live again');
    const restart = await measureRestart(hub, { sensorId: squad[0]!.hrSensorId, athlete: 0 });
    hubResults = { idleRssMb, ...measured, restart };
  } finally {
    await hub.stop();
  }

  say('naive store: the same readings, one row each, without and with an (athlete, stream, t) index');
  const naive = naiveStorageFigures(await runNaiveStore(repoRoot, workDir, naiveInput, COMMIT_INTERVAL_MS, false), ATHLETES);
  const naiveIndexed = naiveStorageFigures(await runNaiveStore(repoRoot, workDir, naiveInput, COMMIT_INTERVAL_MS, true), ATHLETES);

  // The peer.
  const peer = await startPeerTarget({ repoRoot, workDir, squad });
  let peerResults: BenchResults['peer'];
  try {
    peerResults = await measureTarget(peer);
  } finally {
    await peer.stop();
  }

  const hubStorageFinal = hubStorageResult!;
  const ratios = computeRatios(hubResults, peerResults);
  const cpu = cpus()[0];
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    command: quick ? 'node scripts/bench.ts --quick' : 'npm run bench',
    quick,
    machine: {
      cpus: cpu?.model ?? 'unknown',
      cores: availableParallelism(),
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      kernel: release(),
      node: process.version,
      mosquitto: mosquittoVersion(),
      nodeRed: peer.versions.nodeRed,
      loadAverageBefore,
      loadAverageAfter: loadavg(),
    },
    method: {
      seed: SEED,
      messagesPerAthletePerSecond: MESSAGES_PER_ATHLETE_PER_SECOND,
      warmupS: TIMING.warmupMs / 1000,
      at40S: TIMING.at40Ms / 1000,
      rampStepS: TIMING.rampMs / 1000,
      drainS: TIMING.drainMs / 1000,
      sustained: { minDeliveredPct: MIN_DELIVERED * 100, maxP99Ms: MAX_P99_MS },
      refinements: TIMING.refinements,
    },
    hub: hubResults,
    peer: peerResults,
    storage: {
      athletes: ATHLETES,
      hub: hubStorageFinal,
      naive,
      naiveIndexed,
      hubOverNaive: storageRatios(hubStorageFinal, naive),
      hubOverNaiveIndexed: storageRatios(hubStorageFinal, naiveIndexed),
    },
    ratios,
    targets: [],
  };
  results.targets = checkTargets(results);

  const out = join(repoRoot, 'artifacts/bench/ingest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(renderReport(results));
  console.log(`\nwrote ${out} (${elapsed().trim()})`);
}

try {
  await main();
  rmSync(workDir, { recursive: true, force: true });
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}; the work folder ${workDir} is kept for its logs`);
  process.exitCode = 1;
}
