/**
 * The browser benchmark's figures: per-screen summaries of the sampled intervals and lag entries,
 * the targets, the bundle size, the shape of artifacts/bench/browser.json and the printed table.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LagEntry, ScreenSample } from './browser-page.ts';
import { summarize, type LatencySummary } from './stats.ts';

export const TARGETS = { busyPercent: 10, heapGrowthMb: 5, lagP99Ms: 100 } as const;

export interface PhaseFigures {
  seconds: number;
  /** Seconds of the phase in which busy time was read, and in which frames were counted. */
  busySeconds: number;
  frameSeconds: number;
  /** Mean over the phase of the renderer main thread's CPU time, % of wall time: the page's own work. */
  cpuPercent: number;
  /** The busiest one-second interval's CPU %, and the 95th percentile of the intervals. */
  cpuPercentP95: number;
  cpuPercentMax: number;
  /** Main-thread time in tasks, % of wall time: the CPU time plus any wait for a CPU held by another process. */
  busyPercent: number;
  scriptPercent: number;
  styleLayoutPercent: number;
  framesPerSecond: number;
  droppedFrames: number;
  droppedPercent: number;
  longestFrameGapMs: number;
}

export interface LagFigures {
  /** Measurement time of a reading to the paint that shows it. */
  endToEnd: LatencySummary;
  /** Of which: measurement time to the hub's send time (device, broker, ingest, coalescing). */
  toHubSend: LatencySummary;
  /** Of which: the hub's send time to the paint (socket, parse, DOM update, frame). */
  sendToPaint: LatencySummary;
}

export interface ScreenFigures {
  screen: string;
  floor: PhaseFigures;
  load: PhaseFigures;
  heap: { startMb: number; endMb: number; growthMb: number };
  lag: LagFigures;
  ratios: { cpu: number | null; busy: number | null; droppedFrames: number | null };
}

export interface BundleFigures {
  files: number;
  rawBytes: number;
  gzipBytes: number;
  largest: { file: string; gzipBytes: number };
}

export interface Target {
  name: string;
  value: string;
  pass: boolean;
}

const percentOf = (sortedAsc: number[], p: number) => sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1))] ?? 0;

/** Busy time from the intervals without the frame counter, frames from those with it (browser-page.ts). */
export function phaseFigures(samples: readonly ScreenSample[]): PhaseFigures {
  const sum = (list: readonly ScreenSample[], of: (s: ScreenSample) => number) => list.reduce((total, s) => total + of(s), 0);
  const busySamples = samples.filter((s) => !s.frameCounter);
  const frameSamples = samples.filter((s) => s.frameCounter);
  const busyWallMs = sum(busySamples, (s) => s.intervalMs);
  const frameWallMs = sum(frameSamples, (s) => s.intervalMs);
  const frames = sum(frameSamples, (s) => s.frames);
  const dropped = sum(frameSamples, (s) => s.missedFrames);
  const perInterval = busySamples.map((s) => s.cpuFraction * 100).sort((a, b) => a - b);
  const meanPercent = (of: (s: ScreenSample) => number) => (busyWallMs > 0 ? (sum(busySamples, (s) => of(s) * s.intervalMs) / busyWallMs) * 100 : 0);
  return {
    seconds: sum(samples, (s) => s.intervalMs) / 1000,
    busySeconds: busyWallMs / 1000,
    frameSeconds: frameWallMs / 1000,
    cpuPercent: meanPercent((s) => s.cpuFraction),
    cpuPercentP95: percentOf(perInterval, 95),
    cpuPercentMax: perInterval.at(-1) ?? 0,
    busyPercent: meanPercent((s) => s.busyFraction),
    scriptPercent: meanPercent((s) => s.scriptFraction),
    styleLayoutPercent: meanPercent((s) => s.styleLayoutFraction),
    framesPerSecond: frameWallMs > 0 ? frames / (frameWallMs / 1000) : 0,
    droppedFrames: dropped,
    droppedPercent: frames + dropped > 0 ? (dropped / (frames + dropped)) * 100 : 0,
    longestFrameGapMs: frameSamples.reduce((max, s) => Math.max(max, s.longestFrameGapMs), 0),
  };
}

export function lagFigures(entries: readonly LagEntry[]): LagFigures {
  return {
    endToEnd: summarize(entries.map((e) => e.paintedAt - e.t)),
    toHubSend: summarize(entries.map((e) => e.sentAt - e.t)),
    sendToPaint: summarize(entries.map((e) => e.paintedAt - e.sentAt)),
  };
}

const ratio = (value: number, base: number) => (base > 0 ? value / base : null);

export function screenFigures(screen: string, floor: PhaseFigures, load: PhaseFigures, heapStart: number, heapEnd: number, lag: LagFigures): ScreenFigures {
  const mb = (bytes: number) => bytes / 1e6;
  return {
    screen,
    floor,
    load,
    heap: { startMb: mb(heapStart), endMb: mb(heapEnd), growthMb: mb(heapEnd - heapStart) },
    lag,
    ratios: { cpu: ratio(load.cpuPercent, floor.cpuPercent), busy: ratio(load.busyPercent, floor.busyPercent), droppedFrames: ratio(load.droppedPercent, floor.droppedPercent) },
  };
}

/** Every JS and CSS file of the static build, gzipped one by one at zlib's default level (what a server's on-the-fly gzip sends). */
export function bundleFigures(buildDir: string): BundleFigures {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|mjs|css)$/.test(entry)) files.push(path);
    }
  };
  walk(buildDir);
  let rawBytes = 0;
  let gzipBytes = 0;
  let largest = { file: '', gzipBytes: 0 };
  for (const file of files) {
    const content = readFileSync(file);
    const gz = gzipSync(content).length;
    rawBytes += content.length;
    gzipBytes += gz;
    if (gz > largest.gzipBytes) largest = { file: file.slice(buildDir.length + 1), gzipBytes: gz };
  }
  return { files: files.length, rawBytes, gzipBytes, largest };
}

export function checkTargets(screens: readonly ScreenFigures[]): Target[] {
  return screens.flatMap((s) => [
    { name: `${s.screen}: main-thread busy (CPU) < ${TARGETS.busyPercent} %`, value: `${s.load.cpuPercent.toFixed(2)} %`, pass: s.load.cpuPercent < TARGETS.busyPercent },
    { name: `${s.screen}: JS heap growth < ${TARGETS.heapGrowthMb} MB`, value: `${s.heap.growthMb.toFixed(2)} MB`, pass: s.heap.growthMb < TARGETS.heapGrowthMb },
    { name: `${s.screen}: lag p99 < ${TARGETS.lagP99Ms} ms`, value: `${fmt(s.lag.endToEnd.p99)} ms`, pass: s.lag.endToEnd.p99 !== null && s.lag.endToEnd.p99 < TARGETS.lagP99Ms },
  ]);
}

const fmt = (value: number | null, digits = 0) => (value === null ? '–' : value.toFixed(digits));
const pct = (value: number, digits = 2) => `${value.toFixed(digits)} %`;
const ratioText = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)}×`);

/** The results table, as printed and as pasted into docs/benchmarks.md. */
export function renderTable(screens: readonly ScreenFigures[], bundle: BundleFigures): string {
  const rows: string[] = [
    '| screen | main-thread CPU, floor → 40 athletes | ratio | of which script / style+layout | busiest 1 s | in tasks (wall), floor → load | frames/s | dropped frames, floor → load | JS heap growth | lag p50 | lag p99 | p99 device → hub send | p99 hub send → paint |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of screens) {
    const f = s.floor;
    const l = s.load;
    rows.push(
      `| ${s.screen} | ${pct(f.cpuPercent)} → **${pct(l.cpuPercent)}** | ${ratioText(s.ratios.cpu)} | ${pct(l.scriptPercent)} / ${pct(l.styleLayoutPercent)} | ${pct(l.cpuPercentMax, 1)} | ${pct(f.busyPercent)} → ${pct(l.busyPercent)} | ${l.framesPerSecond.toFixed(1)} | ${pct(f.droppedPercent)} → **${pct(l.droppedPercent)}** (${l.droppedFrames} of ${Math.round(l.frameSeconds * 60)}) | **${s.heap.growthMb.toFixed(2)} MB** (${s.heap.startMb.toFixed(1)} → ${s.heap.endMb.toFixed(1)}) | ${fmt(s.lag.endToEnd.p50)} ms | **${fmt(s.lag.endToEnd.p99)} ms** | ${fmt(s.lag.toHubSend.p99)} ms | ${fmt(s.lag.sendToPaint.p99)} ms |`,
    );
  }
  rows.push('', `Bundle: ${bundle.files} JS and CSS files, ${(bundle.rawBytes / 1024).toFixed(0)} KiB raw, **${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzip** (largest: ${bundle.largest.file}, ${(bundle.largest.gzipBytes / 1024).toFixed(1)} KiB).`);
  return rows.join('\n');
}

export function renderTargets(targets: readonly Target[]): string {
  return targets.map((t) => `${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value}`).join('\n');
}
