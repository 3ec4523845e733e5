/**
 * How the hub is doing, for club IT: the box, the process, the broker, ingest, the store, the
 * live feed and every sensor. Probes that take tens or hundreds of milliseconds (CPU load,
 * temperature and memory, see system-probe.ts; disk) run in the
 * background every few seconds, so a health request or a Prometheus scrape never waits on them
 * and the event loop never blocks on them; everything else is read live.
 */
import { statfs } from 'node:fs/promises';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { DatabaseSync } from 'node:sqlite';
import hubPackage from '../../package.json' with { type: 'json' };
import type { MqttBroker } from '../broker/broker.ts';
import type { Engine, SignalState } from '../engine/engine.ts';
import type { IngestService } from '../ingest/ingest.service.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import type { SampleStore } from '../store/sample-store.ts';
import type { RosterService } from './roster.service.ts';
import type { UplinkStatus } from '../uplink/uplink-status.schema.ts';
import { SIGNAL_STATES, type Health } from '../schemas/health.schema.ts';
import { probeSystem, type SystemProbe } from './system-probe.ts';

/** How often the slow probes run. */
export const BOX_SAMPLE_INTERVAL_MS = 5000;

/**
 * Snapshots of a cumulative counter, one a second, so a rate over the last 10 s or minute is one
 * subtraction. Times are monotonic (performance.now): a Pi without a clock battery jumps its wall
 * clock when NTP arrives, and a rate must not jump with it.
 */
export class CounterHistory {
  private readonly capacity: number;
  private readonly times: number[] = [];
  private readonly values: number[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  record(at: number, value: number): void {
    this.times.push(at);
    this.values.push(value);
    if (this.times.length > this.capacity) {
      this.times.shift();
      this.values.shift();
    }
  }

  /** Average per second from the newest snapshot at least `seconds` old (or the oldest one) to `value` now. */
  rate(at: number, value: number, seconds: number): number {
    if (this.times.length === 0) return 0;
    let base = 0;
    for (let i = this.times.length - 1; i >= 0; i--) {
      if (this.times[i]! <= at - seconds * 1000) {
        base = i;
        break;
      }
    }
    const elapsedS = (at - this.times[base]!) / 1000;
    return elapsedS > 0 ? (value - this.values[base]!) / elapsedS : 0;
  }
}

export interface HealthDeps {
  hubName: string;
  dataDir: string;
  maxStoreBytes: number;
  sqlite: DatabaseSync;
  broker: MqttBroker;
  ingest: IngestService;
  samples: SampleStore;
  live: LiveFeed;
  roster: RosterService;
  engine: Engine;
  /** The uplink to central, when uplink.enabled. */
  uplink?: { status(): UplinkStatus } | null;
}

type BoxSample = SystemProbe & {
  sampledAt: number | null;
  disk: { totalBytes: number | null; freeBytes: number | null };
};

const NO_BOX_SAMPLE: BoxSample = { sampledAt: null, loadPercent: null, temperatureC: null, availableMemoryBytes: null, disk: { totalBytes: null, freeBytes: null } };
const NO_LOOP_SAMPLE: Health['process']['eventLoop'] = { delayMeanMs: null, delayP99Ms: null, delayMaxMs: null, utilization: null };

const MB = 1024 * 1024;

export class HealthService {
  private readonly deps: HealthDeps;
  private readonly startedAt = Date.now();
  private readonly messages = new CounterHistory(62);
  private readonly readings = new CounterHistory(62);
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  private box: BoxSample = NO_BOX_SAMPLE;
  private loop = NO_LOOP_SAMPLE;
  private sampling: Promise<void> | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping = false;

  constructor(deps: HealthDeps) {
    this.deps = deps;
  }

  start(): void {
    this.loopDelay.enable();
    this.recordCounters();
    // Unref'd: health sampling must never keep a stopping process alive.
    const counters = setInterval(() => this.recordCounters(), 1000);
    const box = setInterval(() => void this.refresh(), BOX_SAMPLE_INTERVAL_MS);
    counters.unref();
    box.unref();
    this.timers.push(counters, box);
    void this.refresh();
  }

  /** Shutdown has begun: readiness turns false at once, so probes stop routing to this hub. */
  stop(): void {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.loopDelay.disable();
  }

  /** Takes a fresh background sample now (or joins the one running). Never rejects. */
  refresh(): Promise<void> {
    this.sampling ??= this.sampleBox().finally(() => (this.sampling = null));
    return this.sampling;
  }

  /** For pm2/systemd probes: not shutting down, the broker is open and the database answers. */
  ready(): boolean {
    if (this.stopping || this.deps.broker.aedes.closed) return false;
    try {
      this.deps.sqlite.prepare('select 1').get();
      return true;
    } catch {
      return false;
    }
  }

  snapshot(): Health {
    const { ingest, samples, live, roster, engine, broker } = this.deps;
    const now = performance.now();
    const rejects = ingest.rejects.snapshot();
    const store = samples.stats();
    const memory = process.memoryUsage();
    const athletes = new Map(engine.all().map((a) => [a.id, a]));
    const bySignal = Object.fromEntries(SIGNAL_STATES.map((s) => [s, 0])) as Record<SignalState, number>;
    for (const a of athletes.values()) bySignal[a.signal]++;
    const box = this.box;

    const health: Health = {
      status: 'ok',
      warnings: [],
      checkedAt: Date.now(),
      hub: { name: this.deps.hubName, version: hubPackage.version, node: process.version, startedAt: this.startedAt },
      box: {
        sampledAt: box.sampledAt,
        hostname: hostname(),
        cpu: { cores: cpus().length, loadPercent: box.loadPercent, loadAverage: loadavg(), temperatureC: box.temperatureC },
        memory: { totalBytes: totalmem(), availableBytes: box.availableMemoryBytes },
        disk: { path: this.deps.dataDir, ...box.disk },
      },
      process: {
        pid: process.pid,
        uptimeS: process.uptime(),
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        eventLoop: this.loop,
      },
      broker: { clients: broker.clientCount() },
      ingest: {
        accepted: ingest.accepted,
        readings: ingest.readings,
        messagesPerSecond: { last10s: this.messages.rate(now, ingest.accepted, 10), last1m: this.messages.rate(now, ingest.accepted, 60) },
        readingsPerSecond: { last10s: this.readings.rate(now, ingest.readings, 10), last1m: this.readings.rate(now, ingest.readings, 60) },
        rejects: { total: rejects.total, byCode: rejects.byCode },
      },
      store: {
        fileBytes: store.diskBytes,
        maxBytes: this.deps.maxStoreBytes,
        pendingRows: store.pendingRows,
        inboxRows: store.inboxRows,
        blocksWritten: store.blocksWritten,
        full: store.full,
        unrecorded: store.unrecordedWhileFull,
        lastCompactionMs: store.lastCompaction?.ms ?? null,
        maintenanceFailures: store.maintenanceFailures,
        lastMaintenanceError: store.lastMaintenanceError,
        commitFailures: store.commitFailures,
        lastCommitError: store.lastCommitError,
        answeringUnwritten: store.answeringUnwritten,
        discardedWhileFailing: store.discardedWhileFailing,
        undecodableRows: store.undecodableRows,
      },
      live: { screens: live.screenCount, framesSent: live.framesSent, framesSkipped: live.framesSkipped },
      uplink: uplinkOf(this.deps.uplink?.status() ?? { configured: false }, athletes),
      athletes: { total: athletes.size, bySignal },
      sensors: roster.list().map((s) => {
        const athlete = s.athleteId ? athletes.get(s.athleteId) : undefined;
        return {
          id: s.id,
          label: s.label,
          lastSeen: s.lastSeen,
          batteryPct: s.batteryPct,
          athleteId: s.athleteId,
          athleteName: athlete?.name ?? null,
          signal: athlete?.signal ?? null,
        };
      }),
    };
    health.warnings = warningsFor(health);
    health.status = health.warnings.length > 0 ? 'warning' : 'ok';
    return health;
  }

  private recordCounters(): void {
    const at = performance.now();
    this.messages.record(at, this.deps.ingest.accepted);
    this.readings.record(at, this.deps.ingest.readings);
  }

  private async sampleBox(): Promise<void> {
    // Event-loop figures cover the interval since the previous sample.
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    this.lastUtilization = performance.eventLoopUtilization();
    const h = this.loopDelay;
    this.loop = h.count > 0
      ? { delayMeanMs: h.mean / 1e6, delayP99Ms: h.percentile(99) / 1e6, delayMaxMs: h.max / 1e6, utilization: utilization.utilization }
      : { ...NO_LOOP_SAMPLE, utilization: utilization.utilization };
    h.reset();

    // statfs asks the file system holding the data folder itself (df filters some mounts out).
    const [system, fs] = await Promise.all([probeSystem().catch(() => null), statfs(this.deps.dataDir).catch(() => null)]);
    this.box = {
      ...(system ?? NO_BOX_SAMPLE),
      sampledAt: Date.now(),
      disk: fs ? { totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize } : { totalBytes: null, freeBytes: null },
    };
  }
}

/** The uplink's status, without erased athletes club staff have since archived here: nothing is left to tell about them. */
function uplinkOf(status: UplinkStatus, athletes: ReadonlyMap<string, unknown>): UplinkStatus {
  return status.configured ? { ...status, erasedAtCentral: status.erasedAtCentral.filter((a) => athletes.has(a.id)) } : status;
}

/** Conditions club IT should act on, each saying what to do. */
function warningsFor(h: Health): string[] {
  const warnings: string[] = [];
  const { store, box } = h;
  if (store.full) {
    warnings.push(`The store reached its cap of ${Math.round(store.maxBytes / MB)} MB: raw samples are no longer recorded (${store.unrecorded} readings so far). Export and delete old sessions, or raise store.maxDiskMegabytes.`);
  } else if (store.fileBytes >= 0.9 * store.maxBytes) {
    warnings.push(`The store is at ${Math.round((100 * store.fileBytes) / store.maxBytes)}% of its ${Math.round(store.maxBytes / MB)} MB cap; export and delete old sessions soon.`);
  }
  if (store.lastCommitError !== null) {
    const held = store.answeringUnwritten
      ? 'devices are no longer held up, so live screens go on, and the newest readings wait in memory'
      : 'they wait in memory, unacknowledged,';
    warnings.push(`Readings cannot be written to the store (${store.lastCommitError}): ${held} (${store.pendingRows} now) and are written as soon as the disk takes them again. Check the disk and its free space.`);
  }
  if (store.discardedWhileFailing > 0) {
    warnings.push(`${store.discardedWhileFailing} readings were given up since start because the disk refused them for longer than memory could hold them (store.maxPendingReadings); live screens showed them, the recording has gaps.`);
  }
  if (store.undecodableRows > 0) {
    warnings.push(`${store.undecodableRows} stored readings were found damaged since start and dropped; the card may be failing. Copy the data off and replace it.`);
  }
  if (store.maintenanceFailures > 0) {
    warnings.push(`${store.maintenanceFailures} store compactions or checkpoints failed since start (the last: ${store.lastMaintenanceError}); the readings stay in the inbox and are compacted on the next run.`);
  }

  if (box.disk.totalBytes && box.disk.freeBytes !== null && box.disk.freeBytes < 0.1 * box.disk.totalBytes) {
    warnings.push(`Only ${Math.round(box.disk.freeBytes / MB)} MB are free on the disk holding ${box.disk.path}; free space or use a larger card.`);
  }
  if (box.memory.availableBytes !== null && box.memory.availableBytes < 0.1 * box.memory.totalBytes) {
    warnings.push(`Only ${Math.round(box.memory.availableBytes / MB)} MB of memory are available; stop other programs on the box.`);
  }
  // A Raspberry Pi starts throttling its CPU at 80 °C.
  if (box.cpu.temperatureC !== null && box.cpu.temperatureC >= 80) {
    warnings.push(`The CPU is at ${Math.round(box.cpu.temperatureC)} °C and will slow down; give the box shade and airflow.`);
  }
  // A short network blip is normal; a few failures in a row, or one only a person can fix, is not.
  const { uplink } = h;
  if (uplink.configured && uplink.lastError && (uplink.consecutiveFailures >= 3 || UPLINK_NEEDS_A_PERSON.has(uplink.lastError.code))) {
    warnings.push(`The uplink to central is failing (${uplink.lastError.code}: ${uplink.lastError.message}). ${uplink.backlog.readings} readings wait on this hub and none are lost; it keeps retrying by itself.`);
  }
  if (uplink.configured && uplink.erasedAtCentral.length > 0) {
    const names = uplink.erasedAtCentral.map((a) => a.name).join(', ');
    warnings.push(`Head office erased ${names} at central: their data from this hub is no longer forwarded, though this hub still holds it. Archive them here if they have left the squad.`);
  }
  return warnings;
}

const UPLINK_NEEDS_A_PERSON = new Set(['TL_ERR_UPLINK_NOT_ENROLLED', 'TL_ERR_ENROLMENT_CODE_INVALID', 'TL_ERR_HUB_UNAUTHORIZED', 'TL_ERR_HUB_REVOKED', 'TL_ERR_UPLINK_FOREIGN']);
