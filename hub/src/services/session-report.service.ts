/**
 * The session report, computed after the fact from the stored readings (not from the live engine's
 * totals, which restart and can miss readings that arrived late or out of order). Every number
 * comes from core's batch functions: HR session summary, GNSS summary, PlayerLoad, HRV time domain,
 * sRPE. Per athlete, per drill (each drill's own window) and for the team (mean and total over the
 * athletes with data).
 *
 * Windows: heart-rate and GNSS readings are instants, so a window takes those in [from, to] and
 * each drill's intervals add up to the session's. A PlayerLoad reading is an increment accumulated
 * since the previous one, so a window takes those in (from, to]: one ending at a drill boundary
 * belongs to the drill before it, and none is counted twice.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  correctArtifacts,
  createZoneModel,
  hrvTimeDomain,
  PlayerLoadAccumulator,
  summarizeGnss,
  summarizeHrSession,
  TIME_DOMAIN_MIN_INTERVALS,
  zoneThresholdsBpm,
  type AthleteProfile,
  type GnssFix,
  type GnssOptions,
  type ZoneModel,
} from '@touchline/core/metrics';
import type { GnssReading, HrReading, ImuReading } from '../ingest/ingest-contract.ts';
import type { AthleteDefaults } from '../engine/engine.ts';
import type { SampleStore } from '../store/sample-store.ts';
import type {
  AthleteReport,
  GnssMetrics,
  HrMetrics,
  HrvMetrics,
  PlayerLoadMetrics,
  RpeMetrics,
  SessionReport,
  TeamWindow,
  WindowMetrics,
  WindowTotals,
} from '../schemas/session.schema.ts';
import { profileOf, type Athlete, type AthleteService } from './athlete.service.ts';
import type { Session, SessionService } from './session.service.ts';

/**
 * HRV needs about a minute of beats: 60 s lnRMSSD agrees with the 5-minute standard in athletes
 * (Esco & Flatt 2014, J Sports Sci Med 13(3):535–541). Shorter windows report no HRV.
 */
export const HRV_MIN_RR_MS = 60_000;

export interface AthleteReadings {
  hr: HrReading[];
  gnss: GnssReading[];
  imu: ImuReading[];
}

/** The profile and conventions an athlete's metrics use: the same choices the live engine makes. */
export interface MetricSetup {
  profile: AthleteProfile;
  zoneModel: ZoneModel;
  gnss: GnssOptions;
}

/** `defaults` are the operator's zones and thresholds for athletes without their own (settings). */
export function metricSetupOf(athlete: Athlete, at: number, defaults: AthleteDefaults): MetricSetup {
  const thresholds = athlete.thresholds ?? defaults.thresholds;
  return {
    profile: profileOf(athlete, new Date(at).getUTCFullYear()),
    zoneModel: createZoneModel('percent-hrmax', athlete.zones ?? defaults.zones),
    gnss: { highSpeedRunningSpeed: thresholds.hsr, sprintSpeed: thresholds.sprint },
  };
}

export function gnssFixOf(reading: GnssReading): GnssFix {
  const { stream: _stream, ...fix } = reading;
  return fix;
}

function hrMetrics(readings: readonly HrReading[], setup: MetricSetup): HrMetrics | null {
  if (readings.length === 0) return null;
  const s = summarizeHrSession(readings.map((r) => ({ t: r.t, bpm: r.bpm })), setup.profile, { zoneModel: setup.zoneModel });
  return {
    samples: s.acceptedSamples,
    durationS: s.integratedSeconds,
    meanBpm: s.meanBpm,
    maxBpm: s.maxBpm,
    secondsInZone: s.secondsInZone,
    banisterTrimp: s.banisterTrimp,
    edwardsTrimp: s.edwardsTrimp,
    energyKcal: s.energyKcal,
  };
}

/** Time-domain HRV of the stored RR after Lipponen–Tarvainen artifact correction. */
function hrvMetrics(readings: readonly HrReading[]): HrvMetrics | null {
  const rr = readings.flatMap((r) => r.rr);
  if (rr.length < TIME_DOMAIN_MIN_INTERVALS || rr.reduce((sum, ms) => sum + ms, 0) < HRV_MIN_RR_MS) return null;
  const correction = correctArtifacts(rr);
  if (correction.nn.length < TIME_DOMAIN_MIN_INTERVALS) return null;
  const td = hrvTimeDomain(correction.nn);
  return {
    beats: rr.length,
    correctedBeats: correction.count,
    meanRrMs: td.meanRrMs,
    sdnnMs: td.sdnnMs,
    rmssdMs: td.rmssdMs,
    lnRmssd: td.lnRmssd,
    pnn50Pct: td.pnn50Pct,
    sd1Ms: td.sd1Ms,
    sd2Ms: td.sd2Ms,
  };
}

function gnssMetrics(readings: readonly GnssReading[], setup: MetricSetup): GnssMetrics | null {
  if (readings.length === 0) return null;
  const s = summarizeGnss(readings.map(gnssFixOf), setup.gnss);
  return {
    fixes: s.fixes.used,
    durationS: s.durationS,
    distanceM: s.distanceM,
    maxSpeed: s.maxSpeed,
    highSpeedRunningM: s.highSpeedRunning.distanceM,
    highSpeedRunningEfforts: s.highSpeedRunning.effortCount,
    sprintM: s.sprint.distanceM,
    sprintEfforts: s.sprint.effortCount,
    accelerations: s.accelerations.effortCount,
    decelerations: s.decelerations.effortCount,
    averageMetabolicPower: s.metabolic.averagePower,
    metabolicWorkJPerKg: s.metabolic.workJPerKg,
    equivalentDistanceM: s.metabolic.equivalentDistanceM,
    speedZones: s.zones.map((z) => ({ name: z.name, fromSpeed: z.fromSpeed, toSpeed: z.toSpeed, distanceM: z.distanceM, durationS: z.durationS })),
  };
}

/** Stored IMU readings are device- or ingest-computed PlayerLoad increments. */
function playerLoadMetrics(readings: readonly ImuReading[]): PlayerLoadMetrics | null {
  if (readings.length === 0) return null;
  const accumulator = new PlayerLoadAccumulator();
  for (const r of readings) accumulator.pushIncrement(r.t, r.playerLoad);
  const s = accumulator.snapshot();
  return { playerLoad: s.playerLoad, durationS: s.durationS, perMinute: s.perMinute };
}

/** The metrics of one athlete's readings in [from, to] (PlayerLoad increments in (from, to]). */
export function windowMetrics(readings: AthleteReadings, setup: MetricSetup, from: number, to: number): WindowMetrics {
  const hr = readings.hr.filter((r) => r.t >= from && r.t <= to);
  const gnss = readings.gnss.filter((r) => r.t >= from && r.t <= to);
  const imu = readings.imu.filter((r) => r.t > from && r.t <= to);
  return { hr: hrMetrics(hr, setup), hrv: hrvMetrics(hr), gnss: gnssMetrics(gnss, setup), playerLoad: playerLoadMetrics(imu) };
}

/** Combines same-shaped values leaf by leaf (numbers, arrays, objects); nulls are left out. */
function combine(values: readonly unknown[], reduce: (numbers: number[]) => number): unknown {
  const present = values.filter((v) => v !== null && v !== undefined);
  const first = present[0];
  if (first === undefined) return null;
  if (typeof first === 'number') return reduce(present as number[]);
  if (Array.isArray(first)) {
    const length = Math.max(...present.map((v) => (v as unknown[]).length));
    return Array.from({ length }, (_, i) => combine(present.map((v) => (v as unknown[])[i]), reduce));
  }
  if (typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((key) => [key, combine(present.map((v) => (v as Record<string, unknown>)[key]), reduce)]));
  }
  return first;
}

const mean = (numbers: number[]) => numbers.reduce((a, b) => a + b, 0) / numbers.length;
const sum = (numbers: number[]) => numbers.reduce((a, b) => a + b, 0);

function pick<T extends object, K extends keyof T>(value: T | null, keys: readonly K[]): Pick<T, K> | null {
  if (value === null) return null;
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

const HR_TOTALS = ['durationS', 'secondsInZone', 'banisterTrimp', 'edwardsTrimp', 'energyKcal'] as const;
const GNSS_TOTALS = [
  'durationS',
  'distanceM',
  'highSpeedRunningM',
  'highSpeedRunningEfforts',
  'sprintM',
  'sprintEfforts',
  'accelerations',
  'decelerations',
  'metabolicWorkJPerKg',
  'equivalentDistanceM',
] as const;
const PLAYER_LOAD_TOTALS = ['playerLoad', 'durationS'] as const;

/** Team mean (of every metric) and total (of the additive ones) over the athletes with data. */
export function teamWindow(metrics: readonly WindowMetrics[]): TeamWindow {
  const withData = metrics.filter((m) => m.hr !== null || m.gnss !== null || m.playerLoad !== null);
  return {
    athletes: withData.length,
    mean: {
      hr: combine(withData.map((m) => m.hr), mean) as WindowMetrics['hr'],
      hrv: combine(withData.map((m) => m.hrv), mean) as WindowMetrics['hrv'],
      gnss: combine(withData.map((m) => m.gnss), mean) as WindowMetrics['gnss'],
      playerLoad: combine(withData.map((m) => m.playerLoad), mean) as WindowMetrics['playerLoad'],
    },
    total: {
      hr: combine(withData.map((m) => pick(m.hr, HR_TOTALS)), sum) as WindowTotals['hr'],
      gnss: combine(withData.map((m) => pick(m.gnss, GNSS_TOTALS)), sum) as WindowTotals['gnss'],
      playerLoad: combine(withData.map((m) => pick(m.playerLoad, PLAYER_LOAD_TOTALS)), sum) as WindowTotals['playerLoad'],
    },
  };
}

export interface SessionReportDeps {
  sessions: SessionService;
  athletes: AthleteService;
  samples: SampleStore;
  /** The operator's current default zones and thresholds, as the live engine uses them. */
  athleteDefaults: () => AthleteDefaults;
  now?: () => number;
}

export class SessionReportService {
  private readonly deps: SessionReportDeps;
  private readonly now: () => number;

  constructor(deps: SessionReportDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** The session's time window: from its start to its end, or to now while it runs. */
  windowOf(session: Session): { from: number; to: number } {
    return { from: session.startedAt, to: session.endedAt ?? this.now() };
  }

  setupOf(athlete: Athlete, session: Session): MetricSetup {
    return metricSetupOf(athlete, session.startedAt, this.deps.athleteDefaults());
  }

  /** One athlete's stored HR, GNSS and IMU readings in the window. */
  readingsOf(athleteId: string, from: number, to: number): AthleteReadings {
    const { samples } = this.deps;
    return {
      hr: samples.readAthlete(athleteId, 'hr', from, to).flatMap((s) => (s.reading.stream === 'hr' ? [s.reading] : [])),
      gnss: samples.readAthlete(athleteId, 'gnss', from, to).flatMap((s) => (s.reading.stream === 'gnss' ? [s.reading] : [])),
      imu: samples.readAthlete(athleteId, 'imu', from, to).flatMap((s) => (s.reading.stream === 'imu' ? [s.reading] : [])),
    };
  }

  /** One athlete's report: the whole session, each drill, and their session RPE. */
  athleteReport(session: Session, athlete: Athlete, readings: AthleteReadings): AthleteReport {
    const { from, to } = this.windowOf(session);
    const setup = this.setupOf(athlete, session);
    const rpe = session.rpe.find((r) => r.athleteId === athlete.id);
    return {
      athleteId: athlete.id,
      name: athlete.name,
      number: athlete.number,
      hrZoneLowerBoundsBpm: zoneThresholdsBpm(setup.zoneModel, setup.profile),
      session: windowMetrics(readings, setup, from, to),
      drills: session.drills.map((d) => {
        const drillTo = d.endedAt ?? to;
        return { drillId: d.id, name: d.name, from: d.startedAt, to: drillTo, metrics: windowMetrics(readings, setup, d.startedAt, drillTo) };
      }),
      rpe: rpe ? { rpe: rpe.rpe, durationMin: rpe.durationMin, load: rpe.load } : null,
    };
  }

  async report(sessionId: string): Promise<SessionReport> {
    const session = await this.deps.sessions.get(sessionId);
    const { from, to } = this.windowOf(session);
    const athletes: AthleteReport[] = [];
    for (const athlete of this.deps.athletes.list()) {
      const readings = this.readingsOf(athlete.id, from, to);
      const entered = session.rpe.some((r) => r.athleteId === athlete.id);
      if (entered || readings.hr.length > 0 || readings.gnss.length > 0 || readings.imu.length > 0) {
        athletes.push(this.athleteReport(session, athlete, readings));
      }
      // Reading a squad's session blocks on SQLite; let live frames through between athletes.
      await yieldToEventLoop();
    }
    const rpe = athletes.flatMap((a) => (a.rpe ? [a.rpe] : []));
    return {
      session,
      from,
      to,
      generatedAt: this.now(),
      athletes,
      team: {
        session: teamWindow(athletes.map((a) => a.session)),
        drills: session.drills.map((d, i) => {
          const split = athletes.map((a) => a.drills[i]!);
          return { drillId: d.id, name: d.name, from: d.startedAt, to: d.endedAt ?? to, team: teamWindow(split.map((s) => s.metrics)) };
        }),
        rpe: rpe.length === 0 ? null : { athletes: rpe.length, mean: combine(rpe, mean) as RpeMetrics, total: { durationMin: sum(rpe.map((r) => r.durationMin)), load: sum(rpe.map((r) => r.load)) } },
      },
    };
  }
}
