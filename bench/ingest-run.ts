/**
 * One ingest step (a squad size and speed-up, held for a warm-up and a measurement window) and
 * the ramp that finds a system's saturation point.
 *
 * A step is sustained when, of the messages offered in the window, at least 95 % are delivered
 * (see IngestTarget.deliveredBy) by 2 s after the window, and the p99 publish →
 * WebSocket latency of the window's updates is at most 1 s: a system falling behind builds a queue,
 * and over a 30 s window its latency grows past that bound. The saturation point is the highest
 * offered rate of a sustained step.
 */
import { availableParallelism } from 'node:os';
import type { GeneratorPool } from './load-client.ts';
import { MachineSampler, ProcessSampler, type ProcessUsage } from './proc-stats.ts';
import { sleep, waitIdle } from './processes.ts';
import { summarize, type LatencySummary } from './stats.ts';
import type { IngestTarget } from './target.ts';

export const MESSAGES_PER_ATHLETE_PER_SECOND = 21;
export const MIN_DELIVERED = 0.95;
export const MAX_P99_MS = 1000;

export interface StepPlan {
  athletes: number;
  speedup: number;
  warmupMs: number;
  durationMs: number;
  drainMs: number;
}

export interface StepResult {
  athletes: number;
  speedup: number;
  durationS: number;
  /** Offered messages per second of window (21 per athlete at speed-up 1, plus battery reports); see LoadResult.offered. */
  offeredPerS: number;
  offered: number;
  published: number;
  delivered: number;
  deliveredPct: number;
  /** Delivered messages per second of window. */
  sustainedPerS: number;
  /** Publish → WebSocket receipt, ms, of every athlete update in the window. */
  latencyMs: LatencySummary;
  liveUpdates: number;
  /** Per measured process of the system, and their sum. */
  processes: Record<string, ProcessUsage>;
  system: { cpuPercent: number; peakRssMb: number };
  generator: { cpuPercent: number; maxLagMs: number; droppedBacklog: number; droppedOffline: number; publishErrors: number; acknowledged: number };
  /** What the system reports for the whole step, warm-up and drain included: messages it rejected, readings it stored (null: it stores none). */
  accounting: { rejected: number; rejectedByCode: Record<string, number>; stored: number | null };
  /**
   * Busy CPU of the whole machine and of the bench's own process (the WebSocket client), in % of
   * one core: what the system and generator do not account for is other work on the machine.
   */
  machine: { cpuPercent: number; benchCpuPercent: number };
  sustained: boolean;
  /** Why the step was not sustained, empty when it was. */
  shortfall: string;
}

function verdict(deliveredPct: number, latency: LatencySummary): string {
  const reasons: string[] = [];
  if (deliveredPct < MIN_DELIVERED * 100) reasons.push(`delivered ${deliveredPct.toFixed(1)} % < ${MIN_DELIVERED * 100} %`);
  if (latency.p99 === null) reasons.push('no live updates');
  else if (latency.p99 > MAX_P99_MS) reasons.push(`p99 ${latency.p99} ms > ${MAX_P99_MS} ms`);
  return reasons.join('; ');
}

interface WindowUsage {
  processes: Record<string, ProcessUsage>;
  generator: ProcessUsage;
  machineCpu: number;
  benchCpu: number;
}

/** Samples the system's processes, the generator, the machine and this process over [windowStart, windowEnd]. */
async function sampleWindow(target: IngestTarget, generatorPid: number, windowStart: number, windowEnd: number): Promise<WindowUsage> {
  await sleep(windowStart - Date.now());
  const samplers = target.processes.map((p) => [p.name, new ProcessSampler(p.pid)] as const);
  const generator = new ProcessSampler(generatorPid);
  const machine = new MachineSampler(availableParallelism());
  const benchStart = process.cpuUsage();
  const startedAt = performance.now();
  await sleep(windowEnd - Date.now());
  const processes: Record<string, ProcessUsage> = {};
  for (const [name, sampler] of samplers) processes[name] = sampler.stop();
  const bench = process.cpuUsage(benchStart);
  return {
    processes,
    generator: generator.stop(),
    machineCpu: machine.stop(),
    benchCpu: ((bench.user + bench.system) / 1000 / (performance.now() - startedAt)) * 100,
  };
}

export async function runStep(target: IngestTarget, generators: GeneratorPool, plan: StepPlan): Promise<StepResult> {
  await target.prepare(plan.athletes);
  const generator = await generators.get(plan.athletes);
  const before = await target.accounting();
  const startAt = Date.now() + 500;
  const windowStart = startAt + plan.warmupMs;
  const windowEnd = windowStart + plan.durationMs;
  target.receiver.measure(windowStart, windowEnd);
  const [load, usage] = await Promise.all([
    generator.run({ speedup: plan.speedup, startAt, windowStart, windowEnd, drainMs: plan.drainMs }),
    sampleWindow(target, generator.pid, windowStart, windowEnd),
  ]);
  const live = target.receiver.take();
  const after = await target.accounting();
  const rejectedByCode: Record<string, number> = {};
  for (const [code, n] of Object.entries(after.rejectedByCode)) {
    const delta = n - (before.rejectedByCode[code] ?? 0);
    if (delta > 0) rejectedByCode[code] = delta;
  }
  const rejected = Object.values(rejectedByCode).reduce((a, b) => a + b, 0);

  const durationS = plan.durationMs / 1000;
  // The hub also acknowledges the messages it rejects (so a device does not resend them forever):
  // every rejection in the step, warm-up included, is taken off its deliveries.
  const delivered = target.deliveredBy === 'puback' ? Math.max(0, load.acknowledged - rejected) : live.updates;
  const deliveredPct = load.offered ? (delivered / load.offered) * 100 : 0;
  const latencyMs = summarize(live.latenciesMs);
  const shortfall = verdict(deliveredPct, latencyMs);
  const processes = Object.values(usage.processes);

  return {
    athletes: plan.athletes,
    speedup: plan.speedup,
    durationS,
    offeredPerS: load.offered / durationS,
    offered: load.offered,
    published: load.published,
    delivered,
    deliveredPct,
    sustainedPerS: delivered / durationS,
    latencyMs,
    liveUpdates: live.updates,
    processes: usage.processes,
    system: { cpuPercent: processes.reduce((s, p) => s + p.cpuPercent, 0), peakRssMb: processes.reduce((s, p) => s + p.peakRssMb, 0) },
    generator: {
      cpuPercent: usage.generator.cpuPercent,
      maxLagMs: load.maxLagMs,
      droppedBacklog: load.droppedBacklog,
      droppedOffline: load.droppedOffline,
      publishErrors: load.publishErrors,
      acknowledged: load.acknowledged,
    },
    accounting: { rejected, rejectedByCode, stored: after.stored === null || before.stored === null ? null : after.stored - before.stored },
    machine: { cpuPercent: usage.machineCpu, benchCpuPercent: usage.benchCpu },
    sustained: shortfall === '',
    shortfall,
  };
}

export interface LoadPoint {
  athletes: number;
  speedup: number;
}

/**
 * Offered rates quadruple from one rung to the next (the last doubles); two refinements then
 * narrow the gap to a factor of √2. Beyond 40 athletes the squad stays at 80 and the speed-up rises: at ×16 a pod
 * sends 320 msg/s, just under the hub's flood limit of 400 msg/s per client, so the top rung is
 * the most this bench can offer without the hub refusing messages by design.
 */
export const LADDER: readonly LoadPoint[] = [
  { athletes: 10, speedup: 1 },
  { athletes: 40, speedup: 1 },
  { athletes: 80, speedup: 2 },
  { athletes: 80, speedup: 8 },
  { athletes: 80, speedup: 16 },
];

const nominalRate = (p: LoadPoint) => MESSAGES_PER_ATHLETE_PER_SECOND * p.athletes * p.speedup;

/** The load point at the geometric mean of two rates, on the ladder's axes. */
export function between(low: LoadPoint, high: LoadPoint): LoadPoint {
  const rate = Math.sqrt(nominalRate(low) * nominalRate(high));
  const athletes = Math.min(80, Math.max(1, Math.round(rate / MESSAGES_PER_ATHLETE_PER_SECOND)));
  return { athletes, speedup: Math.round((rate / (MESSAGES_PER_ATHLETE_PER_SECOND * athletes)) * 100) / 100 };
}

export interface Saturation {
  /** Highest offered rate sustained, messages/s; null when even the lowest rung failed. */
  offeredPerS: number | null;
  sustainedPerS: number | null;
  step: StepResult | null;
  /** True when the top rung was sustained: the saturation point lies above what was offered. */
  aboveLadder: boolean;
  steps: StepResult[];
}

/**
 * Walks the ladder from a step already measured at rung `startIndex` (up while sustained, down
 * while not), then splits the gap between the highest sustained and the lowest failed rate at
 * its geometric mean, `refinements` times.
 */
export async function findSaturation(
  measure: (point: LoadPoint) => Promise<StepResult>,
  startIndex: number,
  start: StepResult,
  refinements: number,
  log: (step: StepResult) => void,
): Promise<Saturation> {
  const steps: StepResult[] = [];
  let pass: { point: LoadPoint; step: StepResult } | undefined;
  let fail: { point: LoadPoint; step: StepResult } | undefined;
  const record = (point: LoadPoint, step: StepResult) => {
    if (step.sustained && (!pass || nominalRate(point) > nominalRate(pass.point))) pass = { point, step };
    if (!step.sustained && (!fail || nominalRate(point) < nominalRate(fail.point))) fail = { point, step };
  };
  record(LADDER[startIndex]!, start);

  const direction = start.sustained ? 1 : -1;
  for (let i = startIndex + direction; i >= 0 && i < LADDER.length; i += direction) {
    const step = await measure(LADDER[i]!);
    steps.push(step);
    log(step);
    record(LADDER[i]!, step);
    if (step.sustained !== start.sustained) break;
  }
  for (let r = 0; r < refinements && pass && fail && nominalRate(pass.point) < nominalRate(fail.point); r++) {
    const point = between(pass.point, fail.point);
    const step = await measure(point);
    steps.push(step);
    log(step);
    record(point, step);
  }
  return {
    offeredPerS: pass ? pass.step.offeredPerS : null,
    sustainedPerS: pass ? pass.step.sustainedPerS : null,
    step: pass?.step ?? null,
    aboveLadder: !fail,
    steps,
  };
}

/** Lets the system work off any backlog before the next step. */
export async function settle(target: IngestTarget): Promise<void> {
  await waitIdle(target.processes.map((p) => p.pid));
}
