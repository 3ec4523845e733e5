/**
 * The central side of `npm run bench`: how fast the hub's uplink gets a recorded session into
 * central's PostgreSQL, side by side with a naive one-INSERT-per-reading uploader and with psql's
 * `\copy` of the same rows as the ceiling; and how fast the portal answers a team's season view.
 * Method and figures: docs/benchmarks.md ("Uplink and portal"). Results: artifacts/bench/uplink.json.
 *
 *   node scripts/bench-uplink.ts [--quick]
 *
 * --quick records a 3-minute session instead of 90 minutes and makes fewer requests, to check the
 * harness end to end; its figures are not for the docs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { copyCeiling, exportRows, naiveUpload } from '../bench/uplink-baselines.ts';
import { runCatchUp } from '../bench/uplink-catch-up.ts';
import { startCentralProcess } from '../bench/uplink-central.ts';
import { fillHubStore, type SessionPlan } from '../bench/uplink-hub-store.ts';
import { measureSeasonView, seedSeason } from '../bench/uplink-portal.ts';
import { psqlVersion, startBenchPostgres } from '../bench/uplink-postgres.ts';
import { checkTargets, computeRatios, renderReport, type UplinkBenchResults } from '../bench/uplink-results.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
const quick = flags.quick ?? false;

const SEED = 7;
/** A Tuesday morning session; any fixed time would do, so that every run writes the same partitions. */
const SESSION: SessionPlan = { athletes: 40, minutes: quick ? 3 : 90, seed: SEED, startTime: Date.UTC(2026, 2, 3, 9, 30) };
/** The naive uploader's sample: long enough for a steady rate (it is the same for every row), short enough not to dominate the run. */
const NAIVE_ROWS = quick ? 1000 : 20_000;
/** Each request run stops early when its time budget is spent, so a slow view cannot stretch the bench for minutes. */
const PORTAL_PLAN = quick ? { warmup: 2, sequential: 20, clients: 4, perClient: 5, maxSeconds: 15 } : { warmup: 5, sequential: 200, clients: 4, perClient: 50, maxSeconds: 60 };

const workDir = mkdtempSync(join(tmpdir(), 'touchline-bench-uplink-'));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const say = (text: string) => console.log(`[${elapsed()}] ${text}`);
const loadAverageBefore = loadavg();
const cores = availableParallelism();

async function main(): Promise<void> {
  say(`work folder ${workDir}`);
  const postgres = await startBenchPostgres(workDir);
  try {
    say(`hub store: recording a ${SESSION.athletes}-athlete ${SESSION.minutes}-minute session`);
    const hubStorePath = join(workDir, 'hub', 'hub.sqlite');
    const hubStore = await fillHubStore(hubStorePath, SESSION);
    say(`hub store: ${hubStore.readings} readings in ${hubStore.blocks} blocks (${hubStore.fillS.toFixed(1)} s)`);

    const uplinkDb = await postgres.centralDatabase('uplink');
    const central = await startCentralProcess(repoRoot, uplinkDb);
    let uplink: UplinkBenchResults['uplink'];
    try {
      say('uplink: catching up the session into central');
      uplink = await runCatchUp({ hubStorePath, workDir, central, databaseUrl: uplinkDb, postgres, readings: hubStore.readings, cores });
    } finally {
      await central.stop();
    }
    if (uplink.committedRows !== hubStore.readings) throw new Error(`central holds ${uplink.committedRows} rows after the catch-up, the hub recorded ${hubStore.readings}`);
    say(`uplink: ${uplink.committedRows} rows in ${uplink.elapsedS.toFixed(1)} s (${uplink.rowsPerS.toFixed(0)} rows/s)`);

    const rowsFile = join(workDir, 'raw_samples.copy');
    await exportRows(uplinkDb, rowsFile);
    const partitionTimes = [hubStore.firstT, hubStore.lastT];

    const naiveDb = await postgres.centralDatabase('naive');
    await postgres.partitionsFor(naiveDb, partitionTimes);
    say(`naive uploader: the first ${NAIVE_ROWS} rows, one INSERT each`);
    const naive = await naiveUpload(postgres, naiveDb, rowsFile, NAIVE_ROWS);
    say(`naive uploader: ${naive.rowsPerS.toFixed(0)} rows/s`);

    const copyDb = await postgres.centralDatabase('ceiling');
    await postgres.partitionsFor(copyDb, partitionTimes);
    say('ceiling: psql \\copy of every row');
    const ceiling = await copyCeiling(postgres, copyDb, rowsFile, hubStore.readings);
    say(`ceiling: ${ceiling.rowsPerS.toFixed(0)} rows/s`);
    rmSync(rowsFile);

    say('portal: seeding a season for one team');
    const portalDb = await postgres.centralDatabase('portal');
    const seed = await seedSeason(portalDb, SEED);
    const portalCentral = await startCentralProcess(repoRoot, portalDb);
    let portal: UplinkBenchResults['portal'];
    try {
      say('portal: requesting the season view');
      portal = await measureSeasonView(portalCentral, seed, PORTAL_PLAN);
    } finally {
      await portalCentral.stop();
    }

    const cpu = cpus()[0];
    const ratios = computeRatios(uplink, naive, ceiling);
    const results: UplinkBenchResults = {
      generatedAt: new Date().toISOString(),
      command: quick ? 'node scripts/bench-uplink.ts --quick' : 'npm run bench',
      quick,
      machine: {
        cpus: cpu?.model ?? 'unknown',
        cores,
        memoryGb: Math.round(totalmem() / 1024 ** 3),
        kernel: release(),
        node: process.version,
        postgres: postgres.version,
        psql: await psqlVersion(),
        loadAverageBefore,
        loadAverageAfter: loadavg(),
      },
      session: { ...SESSION, hubStore },
      uplink,
      naive,
      copyCeiling: ceiling,
      ratios,
      portal,
      targets: checkTargets({ ratios }),
    };
    const out = join(repoRoot, 'artifacts/bench/uplink.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
    console.log(renderReport(results));
    console.log(`\nwrote ${out} (${elapsed().trim()})`);
  } finally {
    await postgres.stop();
  }
}

try {
  await main();
  rmSync(workDir, { recursive: true, force: true });
} catch (err) {
  console.error(`uplink bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}; the work folder ${workDir} is kept`);
  process.exitCode = 1;
}
